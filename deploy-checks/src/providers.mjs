// Which providers exist: the @Identifier beans of the vendor modules (providers/<name>/), or of
// the connector's former provider packages; and those the contract (docs/api.md) still names.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { walk, subdirectories } from './files.mjs';

// Where providers are: one Maven module each (providers/<name>/), or the connector's former packages.
export const PROVIDER_MODULES = 'providers';
export const PROVIDER_PACKAGES = 'provider-connector-service/src/main/java/io/chatstream/connector/provider';

/** Provider names of this build: the @Identifier("…") beans of the provider modules (or packages), read from source. */
export function providersInSource(root) {
  const names = new Set();
  const sources = [
    ...subdirectories(path.join(root, PROVIDER_MODULES)).map((d) => path.join(d, 'src', 'main', 'java')),
    ...subdirectories(path.join(root, PROVIDER_PACKAGES)),
  ];
  for (const dir of sources) {
    for (const file of walk(dir).filter((f) => f.endsWith('.java'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/@Identifier\(\s*"([^"]+)"\s*\)/g)) names.add(m[1]);
    }
  }
  return names;
}

/** Providers promised by the contract (docs/api.md, the gateway.bots.<bot>.provider row), built or not. */
export function providersInContract(root) {
  const api = path.join(root, 'docs', 'api.md');
  if (!existsSync(api)) return new Set();
  const row = readFileSync(api, 'utf8').split('\n').find((l) => l.includes('`gateway.bots.<bot>.provider`'));
  if (!row) return new Set();
  const meaning = row.split('|').slice(3).join('|');
  return new Set([...meaning.matchAll(/`([a-z][a-z0-9]*)`/g)].map((m) => m[1]));
}

