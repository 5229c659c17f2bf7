// Validates rendered objects against schemas, never by hand:
// - built-in kinds: the Kubernetes OpenAPI schemas compiled into kubernetes-models (ajv), plus the
//   unknown-field check the API server does in strict mode, by a round trip through the official
//   client's generated models (@kubernetes/client-node): a field the API does not have is dropped
//   by the round trip, and reported;
// - Strimzi, KEDA and CloudNativePG kinds: the openAPIV3Schema of their upstream CRDs (../crds) compiled by ajv,
//   with undeclared fields refused as the API server's strict field validation would.
// An object of a kind that has no schema here is an error too: nothing passes unvalidated.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import yaml from 'js-yaml';

const require = createRequire(import.meta.url);
// Only the models: the package's entry point pulls in an HTTP stack that needs Node 22.
const { ObjectSerializer } = require('@kubernetes/client-node/dist/gen/models/ObjectSerializer.js');

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CRD_DIR = path.join(HERE, '..', 'crds');

// OpenAPI formats the CRDs use; the other formats (date-time …) only occur in status fields.
const ajv = new Ajv({ strict: false, allErrors: true, logger: { log() {}, warn() {}, error: console.error } });
ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });

/** Marks every structural object schema closed, as the API server's strict field validation treats it. */
function closeSchema(node) {
  if (Array.isArray(node)) return node.forEach(closeSchema);
  if (!node || typeof node !== 'object') return;
  if (node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    node.additionalProperties = false;
  }
  for (const key of ['properties', 'patternProperties']) {
    if (node[key]) Object.values(node[key]).forEach(closeSchema);
  }
  for (const key of ['items', 'additionalProperties', 'not']) {
    if (node[key] && typeof node[key] === 'object') closeSchema(node[key]);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (node[key]) node[key].forEach(closeSchema);
  }
}

let crdValidators;
function crdValidator(apiVersion, kind) {
  if (!crdValidators) {
    crdValidators = new Map();
    for (const dir of readdirSync(CRD_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(path.join(CRD_DIR, dir.name)).filter((f) => f.endsWith('.yaml'))) {
        const crd = yaml.load(readFileSync(path.join(CRD_DIR, dir.name, file), 'utf8'));
        for (const version of crd.spec.versions.filter((v) => v.served)) {
          const schema = structuredClone(version.schema.openAPIV3Schema);
          closeSchema(schema);
          const key = `${crd.spec.group}/${version.name}|${crd.spec.names.kind}`;
          crdValidators.set(key, { source: `${dir.name}/${file}`, validate: ajv.compile(schema) });
        }
      }
    }
  }
  return crdValidators.get(`${apiVersion}|${kind}`);
}

const modelCache = new Map();
async function builtInModel(apiVersion, kind) {
  const key = `${apiVersion}|${kind}`;
  if (!modelCache.has(key)) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
    const modulePath = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
    let model = null;
    try {
      model = (await import(modulePath))[kind] || null;
    } catch {
      model = null;
    }
    const typeName = version.charAt(0).toUpperCase() + version.slice(1) + kind;
    modelCache.set(key, { model, typeName, known: ObjectSerializer.findCorrectType({}, typeName) === typeName });
  }
  return modelCache.get(key);
}

/** Paths present in `original` but lost in `roundTripped`: the fields the API does not have. */
function droppedFields(original, roundTripped, at = '') {
  if (original === null || typeof original !== 'object') return [];
  if (roundTripped === null || typeof roundTripped !== 'object') return [at || '/'];
  const dropped = [];
  for (const [key, value] of Object.entries(original)) {
    const where = `${at}/${key}`;
    if (!(key in roundTripped) && value !== undefined) dropped.push(where);
    else dropped.push(...droppedFields(value, roundTripped[key], where));
  }
  return dropped;
}

function describe(obj) {
  return `${obj.kind || '?'} ${obj.metadata?.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata?.name || '?'}`;
}

function ajvErrors(errors) {
  return (errors || []).map((e) =>
    `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` '${e.params.additionalProperty}' (unknown field)` : ''}` +
    (e.keyword === 'enum' ? ` ${JSON.stringify(e.params.allowedValues)}` : ''));
}

/** Validates one object; returns a list of problems, each "<Kind> <ns>/<name>: <what>". */
export async function validateObject(obj) {
  if (!obj || typeof obj !== 'object' || !obj.apiVersion || !obj.kind) {
    return [`${describe(obj || {})}: not a Kubernetes object (apiVersion and kind are required)`];
  }
  const problems = [];
  const crd = crdValidator(obj.apiVersion, obj.kind);
  if (crd) {
    if (!crd.validate(obj)) problems.push(...ajvErrors(crd.validate.errors).map((m) => `${m} [${crd.source}]`));
    // The CRD leaves metadata open: check it as the Kubernetes ObjectMeta it is.
    const { ObjectMeta } = await import('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta');
    try {
      new ObjectMeta(obj.metadata).validate();
    } catch (e) {
      problems.push(...(e.errors ? ajvErrors(e.errors).map((m) => `/metadata${m}`) : [e.message]));
    }
  } else {
    const { model, typeName, known } = await builtInModel(obj.apiVersion, obj.kind);
    if (!model || !known) {
      return [`${describe(obj)}: no schema for ${obj.apiVersion} ${obj.kind} (neither a Kubernetes API kind nor a CRD in deploy-checks/crds)`];
    }
    try {
      new model(obj).validate();
    } catch (e) {
      problems.push(...(e.errors ? ajvErrors(e.errors) : [e.message]));
    }
    const roundTripped = ObjectSerializer.serialize(ObjectSerializer.deserialize(obj, typeName), typeName);
    problems.push(...droppedFields(obj, roundTripped).map((p) => `${p} is not a field of ${obj.apiVersion} ${obj.kind} (unknown field)`));
  }
  return problems.map((p) => `${describe(obj)}: ${p}`);
}

export async function validateAll(objects) {
  const problems = [];
  for (const obj of objects) problems.push(...(await validateObject(obj)));
  return problems;
}
