// Runs the core doctest suite compiled to WebAssembly under node (built with node_without_fetch.js prepended).
'use strict';
const path = require('path');
const glue = path.resolve(process.argv[2]);
process.chdir(path.dirname(glue));
// The glue passes process.argv from the third entry on to main(): give doctest only its own options.
process.argv = [process.argv[0], glue, '--no-colors=true', ...process.argv.slice(3)];
require(glue);
