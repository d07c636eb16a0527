import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The corpus and fuzz tests run erl and thousands of decodes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
