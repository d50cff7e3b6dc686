/**
 * Page thumbnails (JPEG, THUMBNAIL_WIDTH_PX wide, trim area only) from a tab whose pages are laid out and
 * already printed: the pages are restyled into one grid, captured with ONE screenshot at the thumbnail
 * scale, and the tiles are cut out with sharp. One screenshot costs far less than a capture per page or
 * rasterizing the PDF again.
 */
import type { Page } from 'puppeteer';

export const THUMBNAIL_WIDTH_PX = 240;
/** Pages per grid row: keeps the captured area roughly square for a 64-page issue */
const GRID_COLUMNS = 8;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Grid {
  width: number;
  height: number;
  trimWidth: number;
  tiles: Rect[];
}

/** One JPEG per page of the tab's document, in page order. Leaves the tab restyled: close it afterwards. */
export async function captureThumbnails(page: Page, widthPx = THUMBNAIL_WIDTH_PX): Promise<Uint8Array[]> {
  const grid = (await page.evaluate(`window.bantin.thumbnailGrid(${JSON.stringify({ columns: GRID_COLUMNS })})`)) as Grid;
  if (grid.tiles.length === 0) return [];
  const scale = widthPx / grid.trimWidth;
  const shot = await page.screenshot({
    clip: { x: 0, y: 0, width: grid.width, height: grid.height, scale },
    captureBeyondViewport: true,
    type: 'png',
  });
  // Loaded only when thumbnails are asked for: a plain build does not pay for sharp's start-up.
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return Promise.all(
    grid.tiles.map(async (t) => {
      const left = Math.max(0, Math.round(t.x * scale));
      const top = Math.max(0, Math.round(t.y * scale));
      const width = Math.min(info.width - left, Math.round(t.width * scale));
      const height = Math.min(info.height - top, Math.round(t.height * scale));
      const tile = await sharp(data, { raw })
        .extract({ left, top, width, height })
        .resize({ width: widthPx, height: Math.round((t.height / t.width) * widthPx), fit: 'fill' })
        .jpeg({ quality: 82, mozjpeg: false })
        .toBuffer();
      return new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
    }),
  );
}
