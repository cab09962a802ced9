import { describe, it, expect } from "vitest";
import fs from "node:fs";
import { artifacts, artifactKey, storedName } from "./artifacts.js";

describe("artifact store", () => {
  it("writes atomically under DATA_DIR/{userId}/{kind}/{id}/ and deletes folders", async () => {
    const store = artifacts();
    const key = artifactKey(7, "models", 99, "config.json");
    expect(key).toBe("7/models/99/config.json");
    await store.put(key, JSON.stringify({ a: 1 }));
    expect(JSON.parse((await store.get(key)).toString())).toEqual({ a: 1 });
    expect(await store.size(key)).toBe(7);
    expect(fs.readdirSync(store.localPath(artifactKey(7, "models", 99))).filter((f) => f.includes(".tmp-"))).toEqual([]);
    await store.deletePrefix(artifactKey(7, "models", 99));
    expect(await store.exists(key)).toBe(false);
  });

  it("refuses keys built from anything but safe segments", () => {
    expect(() => artifactKey(1, "uploads", "..", "x")).toThrow(/invalid artifact key/);
    expect(() => artifactKey(1, "uploads", 2, "../../etc/passwd")).toThrow(/invalid artifact key/);
    expect(() => artifactKey(1, "uploads", 2, "a/b")).toThrow(/invalid artifact key/);
    expect(storedName("CSV")).toMatch(/^[0-9a-f]{24}\.csv$/);
    expect(storedName("../x")).toMatch(/^[0-9a-f]{24}\.x$/);
  });
});
