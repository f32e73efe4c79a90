import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tauri serves the files itself; relative paths keep them working from any origin.
  base: "./",
  build: { outDir: "dist", target: "es2022", emptyOutDir: true },
  clearScreen: false,
  test: { environment: "happy-dom", globals: true },
});
