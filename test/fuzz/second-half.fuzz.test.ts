// The second half of the pipeline fuzz job: mutants 1000-1999 and hostile-text intents 250-499.
import { hostileCase, mutantCase } from './corpus.js';
import { fuzzSuite } from './suite.js';

fuzzSuite('pipeline fuzz: mutants 1000-1999', mutantCase, 1000, 2000, { drift: false });
fuzzSuite('pipeline fuzz: hostile text 250-499', hostileCase, 250, 500, { drift: true });
