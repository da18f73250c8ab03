// The first half of the pipeline fuzz job: mutants 0-999 of the examples through check,
// compile -o and verify, and hostile-text intents 0-249 through those and verify --configs.
// Two files of equal weight, so that the two cores finish together.
import { hostileCase, mutantCase } from './corpus.js';
import { fuzzSuite } from './suite.js';

fuzzSuite('pipeline fuzz: mutants 0-999', mutantCase, 0, 1000, { drift: false });
fuzzSuite('pipeline fuzz: hostile text 0-249', hostileCase, 0, 250, { drift: true });
