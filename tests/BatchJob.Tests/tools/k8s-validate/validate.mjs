// Strict, offline validation of Kubernetes manifests, as `kubectl apply --validate=strict`
// would do against a real API server, without one.
//
//   node validate.mjs FILE...   prints a JSON array, one entry per YAML document; exit 0 when all are valid.
//
// Two independent checks per document:
// - kubernetes-models: the OpenAPI JSON schema of the kind (types, enums, required fields);
// - @kubernetes/client-node: the generated models' attribute lists, walked recursively, so a
//   field the API does not know (a typo, a wrong nesting level) fails like the API server's
//   strict field validation.
// kustomization.yaml is not an API object: its keys are checked against the Kustomization
// fields and every listed resource must exist.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";
import * as k8s from "@kubernetes/client-node";

const require = createRequire(import.meta.url);

const kustomizationKeys = new Set([
  "apiVersion", "kind", "metadata", "resources", "components", "namespace", "namePrefix", "nameSuffix",
  "labels", "commonLabels", "commonAnnotations", "configMapGenerator", "secretGenerator",
  "generatorOptions", "patches", "images", "replicas", "replacements", "crds", "openapi",
  "buildMetadata", "sortOptions", "helmCharts", "transformers", "generators", "validators",
]);

/** kubernetes-models class for apiVersion/kind, e.g. batch/v1 Job -> kubernetes-models/batch/v1/Job. */
function schemaModel(apiVersion, kind) {
  try {
    const module = require(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

/** client-node model class for apiVersion/kind, e.g. batch/v1 Job -> V1Job. */
function fieldModel(apiVersion, kind) {
  const version = apiVersion.split("/").pop();
  const name = version.charAt(0).toUpperCase() + version.slice(1) + kind;
  return k8s[name]?.attributeTypeMap ? name : undefined;
}

/** Walks value against the client-node type name, reporting every field the API does not define. */
function unknownFields(value, type, where, errors) {
  if (value === null || value === undefined) {
    return;
  }

  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => unknownFields(item, array[1], `${where}[${i}]`, errors));
    }
    return;
  }

  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) {
        unknownFields(item, map[1], `${where}.${key}`, errors);
      }
    }
    return;
  }

  const model = k8s[type];
  if (!model?.attributeTypeMap || typeof value !== "object" || Array.isArray(value)) {
    return; // a primitive, IntOrString, Quantity, free-form object: the schema check covers the type
  }

  const fields = new Map(model.attributeTypeMap.map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!fields.has(key)) {
      errors.push(`${where}: unknown field "${key}" (not in ${type})`);
    } else {
      unknownFields(item, fields.get(key), `${where}.${key}`, errors);
    }
  }
}

function validateKustomization(object, file, errors) {
  for (const key of Object.keys(object)) {
    if (!kustomizationKeys.has(key)) {
      errors.push(`unknown Kustomization field "${key}"`);
    }
  }

  if (object.apiVersion !== "kustomize.config.k8s.io/v1beta1") {
    errors.push(`Kustomization apiVersion must be kustomize.config.k8s.io/v1beta1, not ${object.apiVersion}`);
  }

  for (const resource of object.resources ?? []) {
    if (typeof resource !== "string") {
      errors.push(`resources: ${JSON.stringify(resource)} is not a path`);
    } else if (!fs.existsSync(path.resolve(path.dirname(file), resource))) {
      errors.push(`resources: ${resource} does not exist`);
    }
  }
}

function validateDocument(object, file) {
  const errors = [];
  if (object === null || typeof object !== "object" || Array.isArray(object)) {
    return { kind: null, name: null, errors: ["the document is not a YAML mapping"] };
  }

  const { apiVersion, kind } = object;
  const name = object.metadata?.name ?? null;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return { kind: kind ?? null, name, errors: ["apiVersion and kind are required strings"] };
  }

  if (kind === "Kustomization") {
    validateKustomization(object, file, errors);
    return { kind, name, errors };
  }

  const Model = schemaModel(apiVersion, kind);
  const fieldType = fieldModel(apiVersion, kind);
  if (!Model || !fieldType) {
    return { kind, name, errors: [`unknown apiVersion/kind ${apiVersion}/${kind}`] };
  }

  try {
    new Model(object).validate();
  } catch (e) {
    for (const error of e.errors ?? [{ instancePath: "", message: e.message }]) {
      errors.push(`${error.instancePath || "/"}: ${error.message}${error.params ? " " + JSON.stringify(error.params) : ""}`);
    }
  }

  unknownFields(object, fieldType, kind, errors);
  return { kind, name, errors };
}

const results = [];
for (const file of process.argv.slice(2)) {
  let documents;
  try {
    // YAML 1.1, as Kubernetes reads it (yes/no/on/off are booleans there); duplicate keys are errors.
    documents = parseAllDocuments(fs.readFileSync(file, "utf8"), { version: "1.1", uniqueKeys: true });
  } catch (e) {
    results.push({ file, index: 0, kind: null, name: null, valid: false, errors: [String(e.message ?? e)] });
    continue;
  }

  documents.forEach((document, index) => {
    const problems = [...document.errors, ...document.warnings].map((e) => e.message);
    if (problems.length > 0) {
      results.push({ file, index, kind: null, name: null, valid: false, errors: problems });
      return;
    }

    const object = document.toJS();
    if (object === null || object === undefined) {
      return; // an empty document (a trailing ---)
    }

    const result = validateDocument(object, file);
    results.push({ file, index, ...result, valid: result.errors.length === 0 });
  });
}

process.stdout.write(JSON.stringify(results, null, 2) + "\n");
process.exitCode = results.length > 0 && results.every((r) => r.valid) ? 0 : 1;
