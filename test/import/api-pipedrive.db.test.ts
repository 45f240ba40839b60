/** Direct API import from pipedrive, against its sandbox (the suite is in api-suite.ts). */
import { defineApiImportSuite } from './api-suite.js';

defineApiImportSuite('pipedrive');
