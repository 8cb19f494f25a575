// Turns the chart's rendered objects into what `podman kube play` runs on one host: one file per
// component (its Deployment + the ConfigMaps it mounts), the connector-apply Job as a Pod, all on
// the host network (127.0.0.1 is where the local stack listens). Services, PDBs, NetworkPolicies
// and ServiceAccounts have no podman counterpart and are left out. Host networking allows no port
// mappings, so containerPorts go and probes name their port by number; podman knows no
// fieldRef, so the pod IP is 127.0.0.1; the Job's Connect URL (the Service's name) becomes
// 127.0.0.1:<restPort>. Nothing else is changed.
//   node podman-manifests.mjs --root REPO --render RENDERED.yaml --out DIR --connect-url URL
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { root: { type: 'string' }, render: { type: 'string' }, out: { type: 'string' }, 'connect-url': { type: 'string' } },
});
const require = createRequire(join(args.root, 'package.json'));
const YAML = require('yaml');
const docs = YAML.parseAllDocuments(readFileSync(args.render, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const configMaps = new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d]));
mkdirSync(args.out, { recursive: true });

const onHostNetwork = (podSpec) => {
  podSpec.hostNetwork = true;
  for (const container of podSpec.containers) {
    const byName = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const get = container[probe]?.httpGet;
      if (get && typeof get.port === 'string') get.port = byName.get(get.port);
    }
    delete container.ports;
    for (const env of container.env ?? []) {
      if (env.valueFrom?.fieldRef?.fieldPath === 'status.podIP') {
        delete env.valueFrom;
        env.value = '127.0.0.1';
      }
    }
  }
  return podSpec;
};
const mountedConfigMaps = (podSpec) => (podSpec.volumes ?? []).filter((v) => v.configMap).map((v) => configMaps.get(v.configMap.name));
const write = (name, objects) => {
  writeFileSync(join(args.out, `${name}.yaml`), objects.map((o) => YAML.stringify(o)).join('---\n'));
  process.stdout.write(`${name}.yaml\n`);
};

for (const d of docs.filter((o) => o.kind === 'Deployment')) {
  const component = d.metadata.labels['app.kubernetes.io/component'];
  onHostNetwork(d.spec.template.spec);
  write(component, [...mountedConfigMaps(d.spec.template.spec), d]);
}
for (const job of docs.filter((o) => o.kind === 'Job')) {
  const component = job.metadata.labels['app.kubernetes.io/component'];
  const spec = onHostNetwork({ ...job.spec.template.spec, restartPolicy: 'Never' });
  for (const container of spec.containers) {
    for (const env of container.env ?? []) if (env.name === 'PG2DDB_CONNECT_URL') env.value = args['connect-url'];
  }
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: job.metadata.name, labels: job.spec.template.metadata.labels }, spec };
  write(component, [...mountedConfigMaps(spec), pod]);
}
