/** Direct API import from hubspot, against its sandbox (the suite is in api-suite.ts). */
import { defineApiImportSuite } from './api-suite.js';

defineApiImportSuite('hubspot');
