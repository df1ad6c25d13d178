// Runs the core doctest suite compiled to WebAssembly under node.
// Debian's Emscripten 3.1.6 glue tries fetch() for the .wasm under node 20, which has fetch but cannot read
// file paths with it: without fetch the glue reads the file from disk.
'use strict';
const path = require('path');
globalThis.fetch = undefined;
const glue = path.resolve(process.argv[2]);
process.chdir(path.dirname(glue));
// The glue passes process.argv from the third entry on to main(): give doctest only its own options.
process.argv = [process.argv[0], glue, '--no-colors=true', ...process.argv.slice(3)];
require(glue);
