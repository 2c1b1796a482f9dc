import type { Box } from '../../core/index.js';
import { glyph, GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH } from './font5x7.js';

/** An RGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/** A writable packed-RGB image (width × height × 3 bytes). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** Fills the pixel rectangle [x1,x2)×[y1,y2) (clipped to the image) with `color`. */
export function fillRect(img: RgbImage, x1: number, y1: number, x2: number, y2: number, color: Rgb): void {
  const xa = Math.max(0, Math.floor(x1));
  const ya = Math.max(0, Math.floor(y1));
  const xb = Math.min(img.width, Math.floor(x2));
  const yb = Math.min(img.height, Math.floor(y2));
  if (xa >= xb || ya >= yb) return;
  const [r, g, b] = color;
  for (let y = ya; y < yb; y++) {
    let o = (y * img.width + xa) * 3;
    for (let x = xa; x < xb; x++, o += 3) {
      img.rgb[o] = r;
      img.rgb[o + 1] = g;
      img.rgb[o + 2] = b;
    }
  }
}

/** Draws the outline of `box` (rounded to pixels) `thickness` px wide, inside the box edges. */
export function strokeBox(img: RgbImage, box: Box, color: Rgb, thickness = 2): void {
  const x1 = Math.round(box.x1);
  const y1 = Math.round(box.y1);
  const x2 = Math.round(box.x2);
  const y2 = Math.round(box.y2);
  const t = Math.max(1, Math.min(thickness, Math.ceil((x2 - x1) / 2), Math.ceil((y2 - y1) / 2)));
  fillRect(img, x1, y1, x2, y1 + t, color);
  fillRect(img, x1, y2 - t, x2, y2, color);
  fillRect(img, x1, y1, x1 + t, y2, color);
  fillRect(img, x2 - t, y1, x2, y2, color);
}

/** Width and height in pixels of `text` drawn at `scale`. */
export function measureText(text: string, scale = 2): { width: number; height: number } {
  return { width: text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale, height: GLYPH_HEIGHT * scale };
}

/** Draws `text` with the built-in 5×7 font, top-left corner at (x, y), each font pixel `scale`×`scale`. */
export function drawText(img: RgbImage, x: number, y: number, text: string, color: Rgb, scale = 2): void {
  let cx = Math.round(x);
  const cy = Math.round(y);
  for (const ch of text) {
    const rows = glyph(ch);
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const bits = rows[row];
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (bits & (1 << (GLYPH_WIDTH - 1 - col))) {
          fillRect(img, cx + col * scale, cy + row * scale, cx + (col + 1) * scale, cy + (row + 1) * scale, color);
        }
      }
    }
    cx += GLYPH_ADVANCE * scale;
  }
}

/** Size in pixels of a label (text plus its background padding) at `scale`. */
export function labelSize(text: string, scale = 2): { width: number; height: number } {
  const { width, height } = measureText(text, scale);
  return { width: width + 2 * scale, height: height + 2 * scale };
}

/**
 * Draws `text` on a filled background whose top-left corner is (x, y) (see {@link labelSize}); the
 * text is black or white, whichever contrasts with `background`.
 */
export function drawLabelAt(img: RgbImage, x: number, y: number, text: string, background: Rgb, scale = 2): void {
  if (!text) return;
  const { width, height } = labelSize(text, scale);
  fillRect(img, x, y, x + width, y + height, background);
  const luma = 0.299 * background[0] + 0.587 * background[1] + 0.114 * background[2];
  drawText(img, x + scale, y + scale, text, luma > 140 ? [0, 0, 0] : [255, 255, 255], scale);
}

/**
 * Draws a label on a filled background: above the box's top-left corner when there is room, else
 * just inside it, always inside the image. (Several labels: place them with `layoutLabels` and draw
 * each with {@link drawLabelAt}.)
 */
export function drawLabel(img: RgbImage, box: Box, text: string, background: Rgb, scale = 2): void {
  if (!text) return;
  const { width, height } = labelSize(text, scale);
  const x = Math.max(0, Math.min(Math.round(box.x1), img.width - width));
  const above = Math.round(box.y1) - height;
  const y = above >= 0 ? above : Math.max(0, Math.min(Math.round(box.y1), img.height - height));
  drawLabelAt(img, x, y, text, background, scale);
}

const PALETTE: readonly Rgb[] = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180],
  [70, 240, 240], [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [220, 190, 255],
  [170, 110, 40], [255, 250, 200], [128, 0, 0], [170, 255, 195], [128, 128, 0], [255, 215, 180],
];

/** A stable, distinct colour per track id (cycles through 18 colours). */
export function colorForId(id: number): Rgb {
  const i = ((Math.trunc(id) % PALETTE.length) + PALETTE.length) % PALETTE.length;
  return PALETTE[i];
}
