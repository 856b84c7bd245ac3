/**
 * A value made on first use and kept. Used to load a package only when it is first needed (a
 * package that builds tables when evaluated would cost every start otherwise).
 */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
