// Waiting in tests: poll a condition (sync or async) until it holds or time runs out.
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the condition's first truthy value; throws after `ms`. */
export async function until<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
