// The second half of the 2,000 mutants of the examples, through check, compile -o and verify.
import { mutantCase } from './corpus.js';
import { fuzzSuite } from './suite.js';

fuzzSuite('pipeline fuzz: mutants 1000-1999', mutantCase, 1000, 2000, { drift: false });
