import fs from 'node:fs';

// /proc times are in clock ticks; USER_HZ is 100 on every Linux the benchmark targets.
const TICK_MS = 10;
// A PostgreSQL backend's process title: "postgres: [cluster: ]user database host(port)|[local] activity".
// Background processes (checkpointer, walwriter…) do not match: they serve every database.
const BACKEND_TITLE = /^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/;

/**
 * A snapshot of CPU time: busy milliseconds of the whole machine, of the
 * given pids, of PostgreSQL and of the kernel (interrupts and kernel
 * threads: network and disk work the benchmark itself causes). Two snapshots
 * tell how much CPU went to anything else during a run (another build, a
 * test suite), which makes the numbers unreliable on a 2-core box.
 *
 * With `postgresDatabase`, PostgreSQL is its background processes and the
 * backends connected to that database; backends of other databases are
 * someone else's work (another benchmark, a test suite on the same server)
 * and count as other. Without it, every PostgreSQL process counts.
 */
export function cpuSnapshot(pids, postgresDatabase) {
  const at = performance.now();
  let busyMs = 0;
  let interruptMs = 0;
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    // cpu user nice system idle iowait irq softirq steal …
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    busyMs = (user + nice + system + irq + softirq + steal) * TICK_MS;
    interruptMs = (irq + softirq) * TICK_MS;
  } catch {
    return null;
  }
  const watched = new Set(pids.map(String));
  const processes = {};
  let postgresMs = 0;
  let kernelThreadsMs = 0;
  let benchMs = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 2)[1];
    const ms = processCpuMs(pid, stat);
    if (watched.has(pid)) processes[pid] = ms;
    else if (pid === String(process.pid)) benchMs = ms;
    else if (comm === 'postgres') {
      if (postgresDatabase === undefined || servesDatabase(pid, postgresDatabase)) postgresMs += ms;
    } else if (pid === '2' || ppid === '2') kernelThreadsMs += ms;
  }
  for (const pid of watched) processes[pid] ??= 0;
  return { at, busyMs, processes, postgresMs, kernelMs: interruptMs + kernelThreadsMs, benchMs };
}

/** CPU use between two snapshots, in cores: total, per watched pid, PostgreSQL, kernel, and everything else. */
export function cpuBetween(before, after, extraOwnMs = 0) {
  if (!before || !after) return null;
  const wallMs = after.at - before.at;
  const total = (after.busyMs - before.busyMs) / wallMs;
  const own = {};
  let ownMs = extraOwnMs + (after.benchMs - before.benchMs);
  for (const pid of Object.keys(before.processes)) {
    const ms = Math.max(0, (after.processes[pid] || before.processes[pid]) - before.processes[pid]);
    own[pid] = ms / wallMs;
    ownMs += ms;
  }
  // Processes that exit between the snapshots are missed: a PostgreSQL backend
  // that ends mid-run is undercounted, and its time shows up as "other".
  const postgresMs = Math.max(0, after.postgresMs - before.postgresMs);
  const kernelMs = Math.max(0, after.kernelMs - before.kernelMs);
  return {
    wallMs,
    totalCores: total,
    ownCores: own,
    postgresCores: postgresMs / wallMs,
    kernelCores: kernelMs / wallMs,
    otherCores: Math.max(0, total - (ownMs + postgresMs + kernelMs) / wallMs),
  };
}

/** Whether a postgres process is a background process or a backend connected to `database`. */
function servesDatabase(pid, database) {
  let title;
  try {
    title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true; // gone: too late to tell whose it was
  }
  const backend = BACKEND_TITLE.exec(title.replace(/\0/g, ' '));
  return !backend || backend[1] === database;
}

function processCpuMs(pid, text) {
  try {
    const stat = text ?? fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/**
 * Waits until processes other than `pids` and PostgreSQL (of
 * `postgresDatabase`, when given: see cpuSnapshot) use less than
 * `threshold` cores over a second, for at most `maxWaitMs`. Returns whether
 * the machine became quiet; says once that it is waiting.
 */
export async function waitForQuiet({ pids = [], postgresDatabase, threshold, maxWaitMs, log }) {
  const deadline = Date.now() + maxWaitMs;
  let told = false;
  for (;;) {
    const before = cpuSnapshot(pids, postgresDatabase);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpu = cpuBetween(before, cpuSnapshot(pids, postgresDatabase));
    if (!cpu || cpu.otherCores < threshold) return true;
    if (Date.now() >= deadline) {
      log?.(`  the machine is still busy (${cpu.otherCores.toFixed(2)} cores used by other processes); measuring anyway`);
      return false;
    }
    if (!told) {
      log?.(
        `  waiting for a quiet machine: other processes use ${cpu.otherCores.toFixed(2)} cores (up to ${Math.round(maxWaitMs / 1000)} s)`,
      );
      told = true;
    }
  }
}
