// emitter/gen-abi.ts — writes runtime-asm/abi.inc from emitter/abi.ts.
//
// In: nothing.  Out: runtime-asm/abi.inc (`npm run gen-abi`).

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { abiInclude } from "./abi.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
writeFileSync(join(root, "runtime-asm/abi.inc"), abiInclude());
