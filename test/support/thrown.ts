// What a synchronous call throws, for tests that assert an error's class, code and message whole.

/** What `fn` throws (the test fails when it does not throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}
