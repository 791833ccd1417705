// The page's running SHA-256 (Sources/WatermarkWeb/app/js/sha256.js) against Node's, on lengths around the
// 55/56/64-byte padding edges and a few megabytes, fed in uneven pieces as slices of a file would be.
import { createHash, randomBytes } from "node:crypto";
import { SHA256 } from "../../Sources/WatermarkWeb/app/js/sha256.js";

const lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 3 * 1024 * 1024 + 7];
const pieces = [1, 3, 61, 64, 7, 200, 65_536];
for (const length of lengths) {
    const data = randomBytes(length);
    const running = new SHA256();
    for (let offset = 0, k = 0; offset < length; k += 1) {
        const size = pieces[k % pieces.length];
        running.update(data.subarray(offset, offset + size));
        offset += size;
    }
    const ours = running.hex(), node = createHash("sha256").update(data).digest("hex");
    if (ours !== node) {
        console.error(`length ${length}: ${ours} instead of ${node}`);
        process.exit(1);
    }
}
console.log(`sha256 ok on ${lengths.length} lengths`);
