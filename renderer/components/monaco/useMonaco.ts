/** Monaco, once it has loaded (undefined until then, or the load error). */
import { useEffect, useState } from 'react';
import { loadMonaco, type Monaco } from './loader.ts';

export function useMonaco(): { monaco?: Monaco; error?: string } {
  const [state, setState] = useState<{ monaco?: Monaco; error?: string }>({});
  useEffect(() => {
    let live = true;
    loadMonaco().then(
      (monaco) => live && setState({ monaco }),
      (error: unknown) => live && setState({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
