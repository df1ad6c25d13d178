// Prepended to WASM programs run under node (--pre-js): Debian's Emscripten 3.1.6 glue tries fetch() for the .wasm
// under node 20, which has fetch but cannot read file paths with it; without fetch the glue reads the file from disk.
globalThis.fetch = undefined;
