import { z } from 'zod';
import { ARTICLE_TAG_LIMITS, HELP_CENTER_LIMITS as L, IMPORT_LIMITS, SLUG_PATTERN } from './help-center-limits.js';

const slug = z
  .string()
  .trim()
  .min(1)
  .max(L.slugLength)
  .regex(SLUG_PATTERN, 'must be lower-case words joined by hyphens, like "reset-your-password"');
const position = z.number().int().min(-1_000_000).max(1_000_000);
const collectionFields = {
  name: z.string().trim().min(1).max(120),
  slug,
  description: z.string().max(1000),
  position,
  // Keeps the team's position for every viewer when the widget orders collections per viewer.
  pinned: z.boolean(),
};
const articleFields = {
  title: z.string().trim().min(1).max(L.titleLength),
  slug,
  body: z.string().max(L.bodyLength),
  excerpt: z.string().trim().max(L.excerptLength).nullable(),
  collectionId: z.string().max(80).nullable(),
  position,
  status: z.enum(['draft', 'published']),
  // The condition is checked in full by the condition language, which says where it is wrong.
  audience: z
    .object({ condition: z.unknown(), properties: z.enum(['all', 'trusted']).optional() })
    .strict()
    .nullable(),
  // Topic strings; the server normalises each to a topic key (and refuses one with no letter or digit as `invalid_tag`).
  tags: z.array(z.string().max(ARTICLE_TAG_LIMITS.inputLength)).max(ARTICLE_TAG_LIMITS.perArticle).nullable(),
};

/** `POST …/help/collections`: a name; the slug follows from it unless given. */
export const collectionBody = z
  .object({
    ...collectionFields,
    slug: slug.optional(),
    description: collectionFields.description.optional(),
    position: position.optional(),
    pinned: collectionFields.pinned.optional(),
  })
  .strict();

/** `PATCH …/help/collections/:collectionId`: any field. */
export const collectionPatchBody = z.object(collectionFields).partial().strict();

/** `POST …/help/articles`: a title; the rest defaulted. */
export const articleBody = z.object(articleFields).partial().required({ title: true }).strict();

/** `PATCH …/help/articles/:articleId`: any field. */
export const articlePatchBody = z.object(articleFields).partial().strict();

/** `POST …/help/articles/preview`: a body to render as a save would. */
export const articlePreviewBody = z.object({ body: articleFields.body }).strict();

/** `POST …/help/import`: Markdown files with front matter, as an export writes them. */
export const helpCenterImportBody = z
  .object({ files: z.array(z.object({ path: z.string().max(300), content: z.string() }).strict()).max(IMPORT_LIMITS.files) })
  .strict();

/** What `POST …/help/collections` takes. */
export type CollectionBody = z.input<typeof collectionBody>;
