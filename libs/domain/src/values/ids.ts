import { z } from 'zod';

/** Entity ids: readable lowercase slugs, stable across the seeds, the API and the streams. */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be a lowercase slug of [a-z0-9-], 1 to 80 characters, starting with a letter or digit')
  .meta({ id: 'Slug', example: 'investai' });

export type Slug = z.infer<typeof SlugSchema>;

/** Lists of ids are sets: a repeated id is a mistake rather than a weight. */
export function uniqueSlugs(min: number) {
  return z
    .array(SlugSchema)
    .min(min)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id');
}
