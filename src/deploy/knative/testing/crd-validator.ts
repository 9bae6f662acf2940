/**
 * Test support: a JSON-schema validator (ajv) of Knative Serving's Service CRD
 * (`fixtures/service-crd.yaml`, a copy of knative/serving's `config/core/300-resources/service.yaml`
 * as given in ../shared/knative/). Kubernetes' `x-kubernetes-*` keywords and OpenAPI formats
 * (int32, int64) carry no JSON-schema meaning here and are ignored.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

interface Crd {
  spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Record<string, unknown> } }> };
}

const CRD_FILE = fileURLToPath(new URL('./fixtures/service-crd.yaml', import.meta.url));

/** Validates a manifest: `undefined` when valid, else the errors as `path: message` lines. */
export function serviceCrdValidator(): (manifest: unknown) => string[] | undefined {
  const crd = parse(readFileSync(CRD_FILE, 'utf8')) as Crd;
  const v1 = crd.spec.versions.find((version) => version.name === 'v1');
  if (!v1) throw new Error('service-crd.yaml has no v1 version');
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validate = ajv.compile(v1.schema.openAPIV3Schema);
  return (manifest) => {
    if (validate(manifest)) return undefined;
    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`,
    );
  };
}
