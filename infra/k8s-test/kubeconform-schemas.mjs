// Writes kubeconform's schema directory (one self-contained, strict JSON schema per kind, named
// <kind><-group-prefix>-<version>.json as kubeconform's {{.ResourceKind}}{{.KindSuffix}} expects):
//  - Kubernetes kinds from kubernetes-validate's *-local-strict schemas, whose $refs point into a
//    shared _definitions.json: the definitions each kind reaches are copied into it;
//  - custom resources from CRD files: each served version's openAPIV3Schema, made strict
//    (additionalProperties: false on every object that lists its properties and does not preserve
//    unknown fields) and given apiVersion/kind/metadata.
// The CRDs are also written back (crds/) with fabric8's Map<String, Object> rendering
// ("additionalProperties: {type: object}", which would refuse string values) turned into
// x-kubernetes-preserve-unknown-fields, as Strimzi's own CRDs declare such free-form maps.
//   node kubeconform-schemas.mjs --k8s DIR --crds DIR --out DIR --root REPO
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { k8s: { type: 'string' }, crds: { type: 'string' }, out: { type: 'string' }, root: { type: 'string' } } });
const require = createRequire(join(args.root, 'package.json'));
const YAML = require('yaml');

// The Kubernetes kinds the chart renders, plus the ones the tests create.
const K8S_KINDS = [
  'configmap-v1', 'secret-v1', 'service-v1', 'serviceaccount-v1', 'namespace-v1', 'pod-v1',
  'deployment-apps-v1', 'job-batch-v1', 'poddisruptionbudget-policy-v1', 'networkpolicy-networking-v1',
  'customresourcedefinition-apiextensions-v1',
];

const schemaDir = join(args.out, 'kubeconform');
const crdOut = join(args.out, 'crds');
mkdirSync(schemaDir, { recursive: true });
mkdirSync(crdOut, { recursive: true });

// ---- Kubernetes kinds: inline the reachable definitions
// Draft 2020-12: refs look like "/api/_definitions.json#/$defs/<name>" (relative to the $id).
const definitions = JSON.parse(readFileSync(join(args.k8s, '_definitions.json'), 'utf8')).$defs;
for (const kind of K8S_KINDS) {
  const schema = JSON.parse(readFileSync(join(args.k8s, `${kind}.json`), 'utf8'));
  const needed = {};
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace(/^[^#]*#\/\$defs\//, '');
      node.$ref = `#/$defs/${name}`;
      if (!(name in needed)) {
        if (!(name in definitions)) throw new Error(`${kind}: unknown definition ${name}`);
        needed[name] = structuredClone(definitions[name]);
        visit(needed[name]);
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(schema);
  schema.$defs = needed;
  delete schema.$id;
  writeFileSync(join(schemaDir, `${kind}.json`), JSON.stringify(schema));
}

// ---- CRDs
const freeForm = (node) => {
  if (Array.isArray(node)) return node.forEach(freeForm);
  if (node === null || typeof node !== 'object') return;
  const extra = node.additionalProperties;
  if (extra && typeof extra === 'object' && extra.type === 'object' && Object.keys(extra).length === 1) {
    delete node.additionalProperties;
    node['x-kubernetes-preserve-unknown-fields'] = true;
  }
  Object.values(node).forEach(freeForm);
};
const strict = (node) => {
  if (Array.isArray(node)) return node.forEach(strict);
  if (node === null || typeof node !== 'object') return;
  if (node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    node.additionalProperties = false;
  }
  Object.values(node).forEach(strict);
};
let count = 0;
for (const file of readdirSync(args.crds).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  for (const crd of YAML.parseAllDocuments(readFileSync(join(args.crds, file), 'utf8')).map((d) => d.toJS())) {
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    freeForm(crd.spec.versions);
    writeFileSync(join(crdOut, `${crd.metadata.name}.yaml`), YAML.stringify(crd));
    const group = crd.spec.group.split('.')[0].toLowerCase();
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const schema = structuredClone(version.schema.openAPIV3Schema);
      strict(schema);
      schema.properties = {
        apiVersion: { type: 'string', enum: [`${crd.spec.group}/${version.name}`] },
        kind: { type: 'string', enum: [crd.spec.names.kind] },
        metadata: { type: 'object' },
        ...schema.properties,
      };
      schema.required = [...new Set(['apiVersion', 'kind', ...(schema.required ?? [])])];
      schema.$schema = 'http://json-schema.org/draft-07/schema#';
      writeFileSync(join(schemaDir, `${crd.spec.names.kind.toLowerCase()}-${group}-${version.name}.json`), JSON.stringify(schema));
      count += 1;
    }
  }
}
process.stdout.write(`schemas: ${K8S_KINDS.length} Kubernetes kinds, ${count} custom resource versions\n`);
