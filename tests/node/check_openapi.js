// Checks ops/api/openapi.yaml: it parses as YAML, is OpenAPI 3, every $ref resolves, and every
// operation documents its responses. Usage: node check_openapi.js path/to/openapi.yaml
'use strict';
const fs = require('fs');
const YAML = require('yaml');

const doc = YAML.parse(fs.readFileSync(process.argv[2], 'utf8'));
const problems = [];
if (!/^3\./.test(doc.openapi)) problems.push(`openapi is ${doc.openapi}, want 3.x`);
function resolve(ref) {
  if (!ref.startsWith('#/')) return undefined;
  return ref.slice(2).split('/').reduce((o, k) => (o === undefined ? undefined : o[k]), doc);
}
(function walk(node, where) {
  if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${where}[${i}]`));
  if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string' && resolve(node.$ref) === undefined) problems.push(`${where}: $ref ${node.$ref} does not resolve`);
    for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`);
  }
})(doc, '$');
let operations = 0;
for (const [path, item] of Object.entries(doc.paths || {})) {
  for (const method of ['get', 'post', 'put', 'delete']) {
    if (!item[method]) continue;
    operations++;
    if (!item[method].responses || Object.keys(item[method].responses).length === 0) problems.push(`${method} ${path}: no responses`);
  }
}
if (operations < 9) problems.push(`only ${operations} operations documented`);
for (const p of problems) console.error(`FAIL ${p}`);
console.log(`openapi ${doc.openapi}: ${operations} operations, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
