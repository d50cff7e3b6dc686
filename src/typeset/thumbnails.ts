/**
 * Page thumbnails (JPEG, THUMBNAIL_WIDTH_PX wide, trim area only) from a tab whose pages are laid out,
 * before it prints. The pages stay where Paged.js put them (one column, laid out for the screen already):
 * a few screenshots at the thumbnail scale, each covering a strip of consecutive pages, and the tiles cut
 * out with sharp. Restyling the pages into a grid first cost a relayout of the whole document (about as
 * much as the capture itself); a screenshot per page costs a capture round trip each.
 */
import type { Page } from 'puppeteer';

export const THUMBNAIL_WIDTH_PX = 240;
/** Pages per screenshot: keeps each capture a few thousand pixels tall, well inside Chromium's limits */
const PAGES_PER_STRIP = 16;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One JPEG per page of the tab's document, in page order. Changes nothing in the page. */
export async function captureThumbnails(page: Page, widthPx = THUMBNAIL_WIDTH_PX): Promise<Uint8Array[]> {
  const boxes = (await page.evaluate('window.bantin.trimBoxes()')) as Rect[];
  // Loaded only when thumbnails are asked for: a plain build does not pay for sharp's start-up.
  const { default: sharp } = await import('sharp');
  const tiles: Array<Promise<Uint8Array>> = [];
  for (let i = 0; i < boxes.length; i += PAGES_PER_STRIP) {
    const strip = boxes.slice(i, i + PAGES_PER_STRIP);
    const first = strip[0];
    if (!first) break;
    const scale = widthPx / first.width;
    const clip = {
      x: Math.min(...strip.map((b) => b.x)),
      y: first.y,
      width: Math.max(...strip.map((b) => b.x + b.width)) - Math.min(...strip.map((b) => b.x)),
      height: Math.max(...strip.map((b) => b.y + b.height)) - first.y,
    };
    const shot = await page.screenshot({
      clip: { ...clip, scale },
      captureBeyondViewport: true,
      // JPEG at high quality: much cheaper for Chromium to encode than PNG; the tiles are re-encoded anyway.
      type: 'jpeg',
      quality: 92,
      optimizeForSpeed: true,
    });
    const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const raw = { width: info.width, height: info.height, channels: info.channels };
    for (const b of strip) {
      const left = Math.max(0, Math.round((b.x - clip.x) * scale));
      const top = Math.max(0, Math.round((b.y - clip.y) * scale));
      const width = Math.min(info.width - left, Math.round(b.width * scale));
      const height = Math.min(info.height - top, Math.round(b.height * scale));
      tiles.push(
        sharp(data, { raw })
          .extract({ left, top, width, height })
          .resize({ width: widthPx, height: Math.round((b.height / b.width) * widthPx), fit: 'fill' })
          .jpeg({ quality: 82 })
          .toBuffer()
          .then((buf) => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)),
      );
    }
  }
  return Promise.all(tiles);
}
