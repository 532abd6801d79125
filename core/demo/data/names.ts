/** Invented name stock for the demo company's people. Any resemblance to real people is accidental. */
export const FIRST_NAMES = [
  'Amara', 'Ben', 'Carla', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonah',
  'Keiko', 'Luis', 'Maya', 'Nikolai', 'Olivia', 'Priya', 'Quentin', 'Rosa', 'Samuel', 'Tara',
  'Umar', 'Vera', 'Wes', 'Ximena', 'Yusuf', 'Zoe', 'Aiden', 'Bianca', 'Caleb', 'Daria',
  'Emeka', 'Freya', 'Gabriel', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Marco', 'Nadia',
] as const;

export const LAST_NAMES = [
  'Okafor', 'Lindqvist', 'Moreau', 'Petrov', 'Castillo', 'Haddad', 'Nakamura', 'Fischer', 'Osei', 'Brennan',
  'Varga', 'Silva', 'Thompson', 'Kowalski', 'Reyes', 'Sharma', 'Dubois', 'Andersen', 'Mensah', 'Whitfield',
  'Rahman', 'Novak', 'Costa', 'Ito', 'Gallagher', 'Abara', 'Weber', 'Lopez', 'Chen', 'Morgan',
] as const;

/** Lower-case, ASCII-only part of an e-mail address. */
export function emailLocal(first: string, last: string): string {
  return `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
}
