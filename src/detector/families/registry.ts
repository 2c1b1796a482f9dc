import { ValidationError } from '../../core/index.js';
import { centernet } from './centernet.js';
import { type FamilyBinding, type FamilyName, FAMILY_NAMES, type ModelFamily, type ModelSignature, describeSignature } from './family.js';
import { nanodet } from './nanodet.js';
import { yolov8 } from './yolov8.js';
import { yolox } from './yolox.js';

/** All families, in the order auto-detection tries them. */
export const FAMILIES: readonly ModelFamily[] = [nanodet, centernet, yolox, yolov8];

/**
 * Binds a model signature to a family: the named one, or the first family whose `bind` accepts the
 * signature. Throws a ValidationError that lists what the model has and what each family expects.
 */
export function bindFamily(sig: ModelSignature, family: FamilyName | undefined, source: string): FamilyBinding {
  if (family !== undefined && !FAMILY_NAMES.includes(family)) {
    throw new ValidationError(`family: expected one of ${FAMILY_NAMES.join(', ')}, got ${JSON.stringify(family)}`, { family });
  }
  const candidates = family ? FAMILIES.filter((f) => f.name === family) : FAMILIES;
  const reasons: string[] = [];
  for (const f of candidates) {
    const r = f.bind(sig);
    if (typeof r !== 'string') return r;
    reasons.push(`  ${f.name}: ${r} (expects ${f.expects})`);
  }
  throw new ValidationError(
    `${source}: the model matches no ${family ? `"${family}" ` : ''}model family. Found ${describeSignature(sig)}.\n${reasons.join('\n')}`,
    { source, family },
  );
}
