/** Workday: the demo company's employees, their compensation and quarterly reviews. */
import { createRng, padId, addDays } from '../prng.ts';
import { FIRST_NAMES, LAST_NAMES, emailLocal } from './names.ts';

export const COMPANY_DOMAIN = 'acme.example';
export const EMPLOYEE_COUNT = 60;
export const REVIEW_QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] as const;

export interface Employee {
  id: string;
  name: string;
  email: string;
  department: string;
  title: string;
  /** Employee id of the manager; null for the CEO. */
  managerId: string | null;
  managerName: string | null;
  location: string;
  employmentType: 'full-time' | 'part-time' | 'contractor';
  startDate: string;
  status: 'active' | 'on-leave';
}

export interface Compensation {
  employeeId: string;
  salary: number;
  bonus: number;
  currency: string;
  payFrequency: 'monthly' | 'semi-monthly';
  equity: { shares: number; vestedShares: number; grantDate: string; vestingSchedule: string };
  effectiveDate: string;
}

export interface PerformanceReview {
  id: string;
  employeeId: string;
  employeeName: string;
  quarter: string;
  reviewerId: string | null;
  reviewerName: string | null;
  rating: number;
  ratingLabel: string;
  summary: string;
  strengths: string[];
  growthAreas: string[];
  submittedAt: string;
}

export interface WorkdayData {
  employees: Employee[];
  compensation: Map<string, Compensation>;
  reviews: PerformanceReview[];
}

interface Department {
  name: string;
  headTitle: string;
  titles: ReadonlyArray<readonly [string, number]>; // title, level 1..4
  weight: number;
}

const DEPARTMENTS: Department[] = [
  { name: 'Engineering', headTitle: 'VP of Engineering', weight: 14, titles: [['Software Engineer', 1], ['Senior Software Engineer', 2], ['Staff Engineer', 3], ['Engineering Manager', 3], ['Site Reliability Engineer', 2]] },
  { name: 'Sales', headTitle: 'VP of Sales', weight: 9, titles: [['Sales Development Representative', 1], ['Account Executive', 2], ['Senior Account Executive', 3], ['Sales Manager', 3]] },
  { name: 'Marketing', headTitle: 'VP of Marketing', weight: 5, titles: [['Marketing Associate', 1], ['Product Marketing Manager', 2], ['Growth Lead', 3]] },
  { name: 'Finance', headTitle: 'Chief Financial Officer', weight: 4, titles: [['Financial Analyst', 1], ['Senior Accountant', 2], ['Controller', 3]] },
  { name: 'Human Resources', headTitle: 'Head of People', weight: 4, titles: [['HR Coordinator', 1], ['HR Business Partner', 2], ['Talent Acquisition Lead', 3]] },
  { name: 'Customer Support', headTitle: 'Director of Customer Support', weight: 8, titles: [['Support Specialist', 1], ['Senior Support Specialist', 2], ['Support Team Lead', 3]] },
  { name: 'Legal', headTitle: 'General Counsel', weight: 2, titles: [['Paralegal', 1], ['Corporate Counsel', 3]] },
];

const LOCATIONS: ReadonlyArray<readonly [{ location: string; currency: string }, number]> = [
  [{ location: 'San Francisco, CA', currency: 'USD' }, 5],
  [{ location: 'New York, NY', currency: 'USD' }, 4],
  [{ location: 'Austin, TX', currency: 'USD' }, 3],
  [{ location: 'London, UK', currency: 'GBP' }, 2],
  [{ location: 'Berlin, Germany', currency: 'EUR' }, 2],
];

const BASE_SALARY: Record<number, number> = { 1: 78_000, 2: 118_000, 3: 158_000, 4: 205_000, 5: 265_000 };
const CURRENCY_FACTOR: Record<string, number> = { USD: 1, GBP: 0.62, EUR: 0.7 };
const RATING_LABELS = ['', 'Below expectations', 'Partially meets expectations', 'Meets expectations', 'Exceeds expectations', 'Outstanding'];
const STRENGTHS = ['Clear written communication', 'Mentors newer teammates', 'Ships reliably on schedule', 'Strong customer empathy', 'Owns incidents end to end', 'Thoughtful planning', 'Cross-team collaboration', 'Deep domain knowledge'];
const GROWTH = ['Delegate more to the team', 'Push back earlier on scope creep', 'Document decisions for others', 'Speak up in planning meetings', 'Broaden knowledge outside own area', 'Prioritise fewer projects at once'];
const SUMMARIES = [
  'Consistently delivered on quarterly goals and supported the team through a busy period.',
  'Made solid progress on key projects; a few deliverables slipped into the next quarter.',
  'An exceptional quarter: led a critical initiative and raised the bar for the team.',
  'Still ramping up; needs closer support to meet the expectations of the role.',
  'Reliable and steady contributor with strong feedback from peers.',
];

/** Builds the Workday data set; the same seed always yields the same employees. */
export function createWorkdayData(seed: number): WorkdayData {
  const rng = createRng(seed);
  const usedNames = new Set<string>();
  const uniqueName = (): [string, string] => {
    for (;;) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      if (!usedNames.has(`${first} ${last}`)) {
        usedNames.add(`${first} ${last}`);
        return [first, last];
      }
    }
  };

  const employees: Employee[] = [];
  const levels = new Map<string, number>();
  const heads = new Map<string, Employee>();
  const add = (department: string, title: string, level: number, manager: Employee | null): Employee => {
    const [first, last] = uniqueName();
    const place = rng.weighted(LOCATIONS);
    const emp: Employee = {
      id: padId('emp_', employees.length + 1, 3),
      name: `${first} ${last}`,
      email: `${emailLocal(first, last)}@${COMPANY_DOMAIN}`,
      department,
      title,
      managerId: manager ? manager.id : null,
      managerName: manager ? manager.name : null,
      location: place.location,
      employmentType: rng.next() < 0.92 ? 'full-time' : rng.next() < 0.5 ? 'part-time' : 'contractor',
      startDate: addDays('2016-03-01T00:00:00Z', rng.int(0, 3500), 0).slice(0, 10),
      status: rng.next() < 0.95 ? 'active' : 'on-leave',
    };
    employees.push(emp);
    levels.set(emp.id, level);
    return emp;
  };

  const ceo = add('Executive', 'Chief Executive Officer', 5, null);
  for (const dept of DEPARTMENTS) heads.set(dept.name, add(dept.name, dept.headTitle, 4, ceo));
  while (employees.length < EMPLOYEE_COUNT) {
    const dept = rng.weighted(DEPARTMENTS.map((d) => [d, d.weight] as const));
    const [title, level] = rng.weighted(dept.titles.map((t) => [t, 4 - t[1]] as const));
    add(dept.name, title, level, heads.get(dept.name) ?? ceo);
  }

  const compensation = new Map<string, Compensation>();
  for (const emp of employees) {
    const level = levels.get(emp.id) ?? 1;
    const currency = LOCATIONS.find(([l]) => l.location === emp.location)?.[0].currency ?? 'USD';
    const salary = Math.round((BASE_SALARY[level] * (0.9 + rng.next() * 0.25) * CURRENCY_FACTOR[currency]) / 500) * 500;
    const shares = level * 1_500 + rng.int(0, 40) * 100;
    compensation.set(emp.id, {
      employeeId: emp.id,
      salary,
      bonus: Math.round((salary * (0.04 + level * 0.03 + rng.next() * 0.04)) / 100) * 100,
      currency,
      payFrequency: currency === 'USD' ? 'semi-monthly' : 'monthly',
      equity: {
        shares,
        vestedShares: Math.floor(shares * rng.next() * 0.8 / 25) * 25,
        grantDate: emp.startDate,
        vestingSchedule: '4 years, 1-year cliff, monthly thereafter',
      },
      effectiveDate: '2026-01-01',
    });
  }

  const reviews: PerformanceReview[] = [];
  REVIEW_QUARTERS.forEach((quarter, q) => {
    for (const emp of employees) {
      const rating = rng.weighted([[1, 1], [2, 3], [3, 12], [4, 6], [5, 2]] as const);
      const strength = rng.int(0, STRENGTHS.length - 1);
      reviews.push({
        id: `rev_${quarter}_${emp.id}`,
        employeeId: emp.id,
        employeeName: emp.name,
        quarter,
        reviewerId: emp.managerId,
        reviewerName: emp.managerName,
        rating,
        ratingLabel: RATING_LABELS[rating],
        summary: rating >= 5 ? SUMMARIES[2] : rating <= 2 ? (rating === 1 ? SUMMARIES[3] : SUMMARIES[1]) : rng.pick([SUMMARIES[0], SUMMARIES[4]]),
        strengths: [STRENGTHS[strength], STRENGTHS[(strength + 3) % STRENGTHS.length]],
        growthAreas: [rng.pick(GROWTH)],
        submittedAt: addDays('2026-04-03T00:00:00Z', q * 91 + rng.int(0, 10), 10 + rng.int(0, 7)),
      });
    }
  });

  return { employees, compensation, reviews };
}
