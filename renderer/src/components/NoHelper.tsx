/** Shown in a plain browser opened without a helper address: says exactly how to get one. */
export function NoHelper() {
  return (
    <main className="no-helper">
      <h1>mirror-clone needs its helper</h1>
      <p>
        This page talks to the mirror-sync helper. Start one with <code>npm run helper -- --ui dist/renderer</code> and open the
        <code> uiUrl</code> it prints, or run <code>npm run demo</code>.
      </p>
    </main>
  );
}
