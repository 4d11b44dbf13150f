import { describe, expect, it } from "vitest";
import { lagSeconds, parseLsn } from "./replica";

describe("read replica lag", () => {
  it("reads WAL positions as Postgres prints them, ordered as Postgres orders them", () => {
    expect(parseLsn("0/3000000")).toBe(0x3000000n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn("1/0") > parseLsn("0/FFFFFFFF")).toBe(true);
    expect(() => parseLsn("3000000")).toThrow(/not a WAL position/);
  });

  it("counts the lag from the oldest sampled primary position the replica has not replayed", () => {
    const samples = [
      { at: 10_000, lsn: 100n },
      { at: 11_000, lsn: 200n },
      { at: 12_000, lsn: 300n },
    ];
    // Everything replayed: no lag, however long ago the primary last wrote.
    expect(lagSeconds(samples, 300n, 60_000)).toBe(0);
    // Missing the write sampled at 11 s: at least 4 s behind at 15 s.
    expect(lagSeconds(samples, 150n, 15_000)).toBe(4);
    expect(lagSeconds(samples, 0n, 15_000)).toBe(5);
    expect(lagSeconds([], 0n, 15_000)).toBe(0);
  });
});
