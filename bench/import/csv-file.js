import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

const PLANS = ['free', 'pro', 'enterprise'];
const GENDERS = ['Male', 'Female', 'Other', 'PreferNotToSay'];

/**
 * The benchmark's CSV: `rows` users with the standard traits, four typed
 * properties and, on every tenth row, a company (one of 1,000). Written once
 * to the temp directory and reused while the file is complete (its name
 * carries the row count and the format version).
 */
export async function benchCsv(rows, log) {
  const file = path.join(os.tmpdir(), `lumio-bench-import-v1-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  log(`writing ${rows.toLocaleString('en-US')} rows to ${file} (cached for later runs)`);
  const partial = `${file}.partial-${process.pid}`;
  const out = fs.createWriteStream(partial);
  out.write(
    'user_id,name,email,birthday,gender,properties.plan,properties.seats,properties.beta,properties.signup_source,company_id,company_name,company.size\n',
  );
  for (let i = 0; i < rows; i++) {
    const company = i % 10 === 0 ? `co-${i % 1000},"Company ${i % 1000}, Inc.",${(i % 1000) * 3}` : ',,';
    const line =
      `user-${i},User ${i},user${i}@example.com,19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10},${GENDERS[i % 4]},` +
      `${PLANS[i % 3]},${i % 200},${i % 2 === 0},campaign-${i % 37},${company}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  fs.renameSync(partial, file);
  return file;
}
