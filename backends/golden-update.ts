// `npm run golden`: regenerates every examples/<name>/out/ (see golden.ts).

import { updateGolden } from './golden.js';

process.exitCode = updateGolden();
