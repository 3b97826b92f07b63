// Loading a screen's data in the session's language, again when the language
// changes, with a retry after a failure: the one pattern the procedures and
// tutorials screens share. components/Loading.svelte shows the waiting and the
// failure.

import { session } from './session.svelte';

export interface Loaded<T> {
  readonly data: T | null;
  readonly failed: boolean;
  retry(): void;
}

/**
 * Call during component set-up. get fetches in a language; then (optional)
 * runs after each success, e.g. to record a usage event or move on.
 */
export function loadByLang<T>(get: (lang: string) => Promise<T>, then?: (value: T) => void): Loaded<T> {
  const s: { data: T | null; failed: boolean } = $state({ data: null, failed: false });
  async function run(lang: string) {
    s.failed = false;
    try {
      const v = await get(lang);
      s.data = v;
      then?.(v);
    } catch {
      s.failed = true;
    }
  }
  $effect(() => {
    run(session.lang);
  });
  return {
    get data() {
      return s.data;
    },
    get failed() {
      return s.failed;
    },
    retry: () => run(session.lang),
  };
}
