import { createServer } from "node:net";

/**
 * What the benchmark and the load test share about the processes and databases they start: a
 * free port for each, and clean-ups that run at the end, also after a failure or Ctrl-C.
 */

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Things to undo at the end, last registered first (children to stop, databases to drop). */
const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];

/** Registers a clean-up; returns its remover. */
export function onCleanup(name: string, run: () => Promise<void> | void): () => void {
  const entry = { name, run };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every registered clean-up, reporting (not throwing) those that fail. */
export async function runCleanups(report: (message: string) => void): Promise<void> {
  while (cleanups.length > 0) {
    const entry = cleanups.pop()!;
    try {
      await entry.run();
    } catch (e) {
      report(`clean-up "${entry.name}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
