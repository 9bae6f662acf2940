/**
 * The OCI runtime spec (`config.json` of a bundle) of one container of a pod: its own PID,
 * mount, IPC and UTS namespaces, the pod's network namespace, the pod's cgroup, the image's
 * root file system. Pure: everything comes in as arguments.
 */

/** What the runtime spec of one container is made of. */
export interface RuntimeSpecInput {
  /** Absolute path of the root file system. */
  rootfs: string;
  /** The root is shared by instances and mounted read-only (then `/tmp` is a tmpfs). */
  readonlyRoot: boolean;
  args: string[];
  /** `NAME=value` entries. */
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  hostname: string;
  /** Path of the pod's network namespace (`/run/netns/…`); absent = a new, empty one. */
  netnsPath?: string;
  /** `cgroupsPath` for the runtime (under the pod's cgroup, whose limits bind it). */
  cgroupsPath: string;
  /** Host folders mounted read-only at the same path (hivelab's own runtime, in tests). */
  bindMounts?: readonly string[];
}

/** Docker's default capability set, which images expect (runc's own default is smaller). */
const CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/sys/firmware',
  '/proc/scsi',
];

const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

interface Mount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

function baseMounts(readonlyRoot: boolean): Mount[] {
  const mounts: Mount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: [] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'],
    },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  ];
  if (readonlyRoot) {
    mounts.push({
      destination: '/tmp',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'nodev', 'mode=1777'],
    });
  }
  return mounts;
}

/** Pure: the runtime spec (`config.json`) for one container. */
export function runtimeSpec(input: RuntimeSpecInput): Record<string, unknown> {
  const binds: Mount[] = (input.bindMounts ?? []).map((dir) => ({
    destination: dir,
    type: 'bind',
    source: dir,
    options: ['rbind', 'ro', 'nosuid', 'nodev'],
  }));
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: input.uid, gid: input.gid },
      args: input.args,
      env: input.env,
      cwd: input.cwd,
      capabilities: {
        bounding: CAPABILITIES,
        effective: CAPABILITIES,
        permitted: CAPABILITIES,
      },
      noNewPrivileges: true,
    },
    root: { path: input.rootfs, readonly: input.readonlyRoot },
    hostname: input.hostname,
    mounts: [...baseMounts(input.readonlyRoot), ...binds],
    linux: {
      cgroupsPath: input.cgroupsPath,
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces: [
        { type: 'pid' },
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'mount' },
        input.netnsPath === undefined ? { type: 'network' } : { type: 'network', path: input.netnsPath },
      ],
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
    },
  };
}
