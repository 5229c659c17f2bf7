// The page's own scripts, loaded into Node for their unit tests: the same files the ingress serves.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pageDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../ingress-service/src/main/resources/META-INF/resources/chat',
);
const require = createRequire(import.meta.url);

export const ChatTranscript = require(path.join(pageDir, 'transcript.js'));
export const { StreamConnection, redact } = require(path.join(pageDir, 'stream-connection.js'));
