// Renders a kustomization with `kubectl kustomize` (kustomize v5 embedded in kubectl >= 1.27).
// The machines' image ships /usr/bin/kubectl 1.32 (kustomize v5.5.0); set KUBECTL to use another.
// Debian's kubernetes-client kubectl (1.20, kustomize v2) cannot render these overlays: refused.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import yaml from 'js-yaml';

const KUBECTL = process.env.KUBECTL || 'kubectl';
const MIN_KUSTOMIZE_MAJOR = 5;

let checkedVersion;

/** The kustomize version inside kubectl, or an Error saying why it cannot render these overlays. */
export function kustomizeVersion() {
  if (checkedVersion) return checkedVersion;
  let out;
  try {
    out = execFileSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(`cannot run '${KUBECTL} version --client' (${e.message.split('\n')[0]}): ` +
      'install kubectl >= 1.27 (kustomize v5) or set KUBECTL');
  }
  const version = JSON.parse(out).kustomizeVersion || '';
  const major = Number((version.match(/^v(\d+)/) || [])[1]);
  if (!(major >= MIN_KUSTOMIZE_MAJOR)) {
    throw new Error(`${KUBECTL} embeds kustomize '${version || 'unknown'}'; these overlays need ` +
      `v${MIN_KUSTOMIZE_MAJOR}+ (kubectl >= 1.27). Set KUBECTL to such a kubectl.`);
  }
  checkedVersion = version;
  return version;
}

/**
 * Writes k8s/base/connectors/ from each providers/<name>/k8s/ (k8s/generate-connectors.sh), which every
 * overlay includes; kustomize alone cannot list folders. Throws with the script's message.
 */
export function generateConnectors(root) {
  const script = path.join(root, 'k8s', 'generate-connectors.sh');
  try {
    execFileSync('bash', [script, root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`k8s/generate-connectors.sh failed: ${(e.stderr || e.message).trim()}`);
  }
}

/** Renders one kustomization directory into its objects. Throws with kustomize's message on failure. */
export function render(dir) {
  kustomizeVersion();
  let out;
  try {
    out = execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    throw new Error(`kustomize cannot render ${dir}: ${(e.stderr || e.message).trim()}`);
  }
  return yaml.loadAll(out).filter((doc) => doc != null);
}
