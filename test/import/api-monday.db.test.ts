/** Direct API import from monday, against its sandbox (the suite is in api-suite.ts). */
import { defineApiImportSuite } from './api-suite.js';

defineApiImportSuite('monday');
