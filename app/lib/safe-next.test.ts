import { describe, it, expect } from "vitest";
import { safeNext } from "./safe-next";

const ORIGIN = "http://localhost:3000";

describe("safeNext (finding 3: open redirect after sign-in)", () => {
  it("keeps paths on the app's own origin, with query and hash", () => {
    expect(safeNext("/battery/tasks/12?tab=log#end", ORIGIN)).toBe("/battery/tasks/12?tab=log#end");
    expect(safeNext("energy", ORIGIN)).toBe("/energy");
    expect(safeNext(null, ORIGIN)).toBe("/");
  });

  it("refuses every way of naming another origin", () => {
    for (const evil of [
      "/\\evil.example/phish", // browsers read /\ as //
      "\\\\evil.example/phish",
      "//evil.example/phish",
      "/\t/evil.example/phish", // tabs and newlines are stripped by the URL parser
      "https://evil.example/phish",
      "http://localhost:3001/", // same host, another port: another origin
      "javascript:alert(1)",
    ]) {
      expect(safeNext(evil, ORIGIN), evil).toBe("/");
    }
  });
});
