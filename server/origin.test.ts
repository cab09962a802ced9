/** ALLOWED_ORIGINS (issue #20 finding 1): a bad entry stops start-up naming the setting, not every request later. */
import { describe, it, expect } from "vitest";
import { env } from "./env.js";

describe("ALLOWED_ORIGINS", () => {
  it("refuses entries that are not http(s) origins, naming the setting", () => {
    process.env.ALLOWED_ORIGINS = "https://ok.example, not a url";
    expect(() => env()).toThrow(/ALLOWED_ORIGINS must be comma-separated http\(s\):\/\/host\[:port\] origins/);
  });
});
