// 500 hostile-text intents (every description and the file's name drawn from hostile
// alphabets), through check, compile -o, verify, and verify --configs on the written folder.
import { hostileCase } from './corpus.js';
import { fuzzSuite } from './suite.js';

fuzzSuite('pipeline fuzz: hostile text', hostileCase, 0, 500, { drift: true });
