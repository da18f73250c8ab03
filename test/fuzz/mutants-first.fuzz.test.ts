// The first half of the 2,000 mutants of the examples (test/fuzz/corpus.ts), through check,
// compile -o and verify. Two files so that the two cores share the work.
import { mutantCase } from './corpus.js';
import { fuzzSuite } from './suite.js';

fuzzSuite('pipeline fuzz: mutants 0-999', mutantCase, 0, 1000, { drift: false });
