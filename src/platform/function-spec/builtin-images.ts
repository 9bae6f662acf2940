/**
 * What hivelab can run without a `command:`: its built-in functions, named `builtin:<name>`,
 * and the vSwarm / vHive images that have a built-in equivalent, so vHive's own YAML files
 * run unchanged.
 */
import { distPath } from '../../package-root.js';

export interface BuiltinImage {
  /** One line for `hivelab functions` and error messages. */
  description: string;
  /** Protocol the built-in speaks when the YAML names no port: gRPC functions want h2c. */
  defaultProtocol: 'http1' | 'h2c';
  /** Every protocol it serves (`h2c` = its gRPC services, `http1` = its fetch handler). */
  protocols: readonly ('http1' | 'h2c')[];
}

/** The hotel app's gRPC built-ins, `hotel/<service>`. */
function hotelGrpcServices(descriptions: Readonly<Record<string, string>>): Record<string, BuiltinImage> {
  return Object.fromEntries(
    Object.entries(descriptions).map(([service, what]) => [
      `hotel/${service}`,
      { description: `DeathStarBench hotel ${what} (gRPC)`, defaultProtocol: 'h2c', protocols: ['h2c'] },
    ]),
  );
}

/** The built-in functions, by name (`builtin:<name>`). Their modules are `dist/functions/<name>.js`. */
export const BUILTIN_IMAGES: Readonly<Record<string, BuiltinImage>> = {
  helloworld: {
    description: 'vSwarm helloworld: gRPC helloworld.Greeter/SayHello and HTTP "Hello, <name>!"',
    defaultProtocol: 'h2c',
    protocols: ['http1', 'h2c'],
  },
  aes: {
    description:
      'vSwarm pyaes: AES-CTR encryption of a plaintext N times (gRPC helloworld interface and HTTP)',
    defaultProtocol: 'h2c',
    protocols: ['http1', 'h2c'],
  },
  'trace-func': {
    description: 'vHive loader trace function: runs for durationMs and touches memoryMb (HTTP JSON, gRPC)',
    defaultProtocol: 'http1',
    protocols: ['http1', 'h2c'],
  },
  sleep: {
    description: 'sleeps ?ms= milliseconds, then answers (HTTP)',
    defaultProtocol: 'http1',
    protocols: ['http1'],
  },
  'video-analytics/streaming': {
    description:
      'vSwarm video analytics entry: helloworld.Greeter/SayHello sends the clip to the decoder (gRPC)',
    defaultProtocol: 'h2c',
    protocols: ['h2c'],
  },
  'video-analytics/decoder': {
    description: 'vSwarm video decoder: videoservice.VideoDecoder/Decode, ffmpeg frames to recog (gRPC)',
    defaultProtocol: 'h2c',
    protocols: ['h2c'],
  },
  'hotel/frontend': {
    description:
      'DeathStarBench hotel frontend: GET /hotels, /recommendations, POST /user, /reservation (HTTP)',
    defaultProtocol: 'http1',
    protocols: ['http1'],
  },
  ...hotelGrpcServices({
    search: 'search.Search/Nearby: geo, then rate',
    geo: 'geo.Geo/Nearby: 5 nearest hotels within 10 km',
    rate: 'rate.Rate/GetRates: memcached-rate, then mongodb-rate',
    profile: 'profile.Profile/GetProfiles: memcached-profile, then mongodb-profile',
    recommendation: 'recommendation.Recommendation/GetRecommendations: dis | rate | price',
    reservation:
      'reservation.Reservation/CheckAvailability, MakeReservation: memcached-reserve, mongodb-reservation',
    user: 'user.User/CheckUser: SHA-256 passwords from mongodb-user',
    memcached: 'embedded memcached stand-in: storage.Memcached/GetMulti, Set',
    mongodb:
      'embedded MongoDB stand-in seeded as DeathStarBench seeds it (HOTEL_DB): storage.MongoDB/Find, Insert',
  }),
  'video-analytics/recog': {
    description: 'vSwarm object recognition: videoservice.ObjectRecognition/Recognise, SqueezeNet 1.1 (gRPC)',
    defaultProtocol: 'h2c',
    protocols: ['h2c'],
  },
  relay: {
    description:
      "vSwarm relay: serves helloworld.Greeter/SayHello and calls the pod's function with its own gRPC method (by --function-name: aes, auth, fibonacci, helloworld)",
    defaultProtocol: 'h2c',
    protocols: ['h2c'],
  },
};

/**
 * Well-known images (registry, `library/` and tag stripped) → built-in name. vHive's
 * `configs/knative_workloads/*.yaml` name them in `GUEST_IMAGE`; vSwarm's in `image:`.
 */
const WELL_KNOWN_IMAGES: Readonly<Record<string, string>> = {
  'ease-lab/helloworld': 'helloworld',
  'vhive-serverless/helloworld': 'helloworld',
  'ustiugov/helloworld': 'helloworld',
  'vhiveease/helloworld': 'helloworld',
  'ease-lab/pyaes': 'aes',
  'vhive-serverless/pyaes': 'aes',
  'ustiugov/pyaes': 'aes',
  'vhiveease/pyaes': 'aes',
  'vhiveease/aes-python': 'aes',
  'vhiveease/aes-nodejs': 'aes',
  'vhiveease/aes-go': 'aes',
  'vhive-serverless/aes-python': 'aes',
  'vhive-serverless/aes-nodejs': 'aes',
  'vhive-serverless/aes-go': 'aes',
  'vhive-serverless/invitro_trace_function': 'trace-func',
  'vhiveease/trace-func-go': 'trace-func',
  'cvetkovic/dirigent_trace_function': 'trace-func',
  'vhiveease/video-analytics-streaming': 'video-analytics/streaming',
  'vhiveease/video-analytics-decoder': 'video-analytics/decoder',
  'vhiveease/video-analytics-recog': 'video-analytics/recog',
  'vhive-serverless/video-analytics-streaming': 'video-analytics/streaming',
  'vhive-serverless/video-analytics-decoder': 'video-analytics/decoder',
  'vhive-serverless/video-analytics-recog': 'video-analytics/recog',
  'ease-lab/video-analytics-streaming': 'video-analytics/streaming',
  'ease-lab/video-analytics-decoder': 'video-analytics/decoder',
  'ease-lab/video-analytics-recog': 'video-analytics/recog',
  'vhiveease/relay': 'relay',
  'vhive-serverless/relay': 'relay',
};

/** The repository part of an image reference: no registry host, no `library/`, no tag or digest. */
export function imageRepository(image: string): string {
  let ref = image.trim().replace(/@sha256:[0-9a-f]+$/i, '');
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  // A first part with a dot or a port is a registry host (ghcr.io, docker.io, localhost:5000).
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] ?? '')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/').toLowerCase();
}

/** The built-in that runs `image`, or `undefined` when hivelab has none. */
export function builtinForImage(image: string): string | undefined {
  const trimmed = image.trim();
  if (trimmed.startsWith('builtin:')) {
    const name = trimmed.slice('builtin:'.length);
    return Object.hasOwn(BUILTIN_IMAGES, name) ? name : undefined;
  }
  return WELL_KNOWN_IMAGES[imageRepository(trimmed)];
}

/** Absolute path of a built-in's compiled module (its default export is a `FunctionModule`). */
export function builtinModulePath(name: string): string {
  return distPath('functions', `${name}.js`);
}

/** "builtin:helloworld, builtin:aes, …" for error messages. */
export function describeRunnableImages(): string {
  const builtins = Object.keys(BUILTIN_IMAGES)
    .map((name) => `builtin:${name}`)
    .join(', ');
  const known = Object.keys(WELL_KNOWN_IMAGES).join(', ');
  return `built-ins (${builtins}), the vSwarm/vHive images that map to them (${known}, any registry and tag), or any executable serving on $PORT given as containers[0].command`;
}
