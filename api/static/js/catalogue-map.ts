/**
 * The map of the catalogue pages (runs in the browser; compiled by the project's tsc to dist/api/static/js/ and served
 * at /static/js/catalogue-map.js after Leaflet's own script). It only enhances a page that works without it:
 * - the basemap shipped with the hub (/static/data/*.geojson: Natural Earth land and borders, French regions), no tiles;
 * - the footprints of the results (the `footprints` JSON block of the page), linked both ways with the result list;
 * - on the search page: "draw a box" (drag on the map), "search this view" and "clear the box", which fill the form's
 *   bbox field and submit the form, so that the URL holds the box like any other criterion;
 * - for the keyboard: the map is one tab stop (arrows move it, + and − zoom, a hint under it says so and points to the
 *   box field), its footprints are not tab stops (the result list links the same records), its tools are buttons;
 * - on a phone (narrow screen), a "show the map" button: the map is folded away until asked for (unless the query has
 *   a box), so that the results are not pushed below it and a finger scrolling the page does not pan the map.
 * Nothing is fetched from another host.
 */
import type * as Leaflet from 'leaflet';

declare const L: typeof Leaflet;

type Box = [number, number, number, number];
interface Footprint {
  id: string;
  title: string;
  href?: string;
  boxes: Box[];
}
/** The page's words for the map (`map-messages`): a record page gives only its label and keyboard hint. */
interface Messages {
  label: string;
  keys?: string;
  zoomIn?: string;
  zoomOut?: string;
  draw?: string;
  drawing?: string;
  view?: string;
  clear?: string;
  show?: string;
  hide?: string;
}

const FRANCE: Leaflet.LatLngBoundsExpression = [
  [41.2, -5.5],
  [51.3, 9.8],
];
const STYLE = {
  land: { color: '#9a9380', weight: 0.6, fillColor: '#f4f1e8', fillOpacity: 1 },
  borders: { color: '#b5ad98', weight: 0.6, dashArray: '3 3', fill: false },
  regions: { color: '#c8bfa8', weight: 0.8, fill: false },
  footprint: { color: '#1d5fa8', weight: 1.5, fillColor: '#1d5fa8', fillOpacity: 0.08 },
  highlight: { color: '#c0392b', weight: 3, fillColor: '#c0392b', fillOpacity: 0.18 },
  query: { color: '#222', weight: 2, dashArray: '6 4', fill: false },
};

function readJson<T>(id: string): T | undefined {
  const el = document.getElementById(id);
  if (!el?.textContent) return undefined;
  try {
    return JSON.parse(el.textContent) as T;
  } catch {
    return undefined;
  }
}

/** The parts of a box as Leaflet bounds: two when it crosses the antimeridian (west > east). */
function parts(b: Box): Leaflet.LatLngBoundsExpression[] {
  const [w, s, e, n] = b;
  if (w <= e)
    return [
      [
        [s, w],
        [n, e],
      ],
    ];
  return [
    [
      [s, w],
      [n, 180],
    ],
    [
      [s, -180],
      [n, e],
    ],
  ];
}

/** The width under which the catalogue's map is folded away (the pages' CSS lays the page out in one column there). */
const NARROW = '(max-width: 700px)';

const round = (v: number) => Math.round(v * 1e4) / 1e4;
const wrapLng = (lng: number) => ((((lng + 180) % 360) + 360) % 360) - 180;
const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));

/** The box between two corners as the search reads it; the whole width of the world when it spans 360° or more. */
function boxOf(a: Leaflet.LatLng, b: Leaflet.LatLng): Box {
  const west = Math.min(a.lng, b.lng);
  const east = Math.max(a.lng, b.lng);
  const south = clampLat(Math.min(a.lat, b.lat));
  const north = clampLat(Math.max(a.lat, b.lat));
  if (east - west >= 360) return [-180, round(south), 180, round(north)];
  let w = wrapLng(west);
  let e = wrapLng(east);
  if (e === -180 && east > west) e = 180;
  if (w === 180) w = -180;
  return [round(w), round(south), round(e), round(north)];
}

async function basemap(map: Leaflet.Map, base: string): Promise<void> {
  map.createPane('basemap');
  const pane = map.getPane('basemap');
  if (pane) pane.style.zIndex = '250';
  for (const [name, style] of [
    ['land', STYLE.land],
    ['borders', STYLE.borders],
    ['regions-fr', STYLE.regions],
  ] as const) {
    try {
      const res = await fetch(`${base}/data/${name}.geojson`);
      if (!res.ok) continue;
      L.geoJSON((await res.json()) as GeoJSON.GeoJsonObject, { pane: 'basemap', interactive: false, style: () => style }).addTo(map);
    } catch {
      // the basemap is decoration: the footprints and the box still work without it
    }
  }
  document.getElementById('map')?.setAttribute('data-basemap', 'ready');
}

/** Empty fields are not sent, so that the URL holds only what the query is (`/catalogue?q=sol`, not `?q=sol&bbox=&from=`). */
function cleanUrls(): void {
  const form = document.querySelector<HTMLFormElement>('form.search');
  if (!form) return;
  form.addEventListener('submit', () => {
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[name]')))
      if (input.value.trim() === '') input.disabled = true;
  });
  // a page restored from the back-forward cache gets its fields back
  window.addEventListener('pageshow', () => {
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[name]'))) input.disabled = false;
  });
}

function init(): void {
  cleanUrls();
  const el = document.getElementById('map');
  if (!el || typeof L === 'undefined') return;
  const base = el.dataset.static ?? '/static';
  const mode = el.dataset.mode ?? 'search';
  const msg = readJson<Messages>('map-messages');
  const footprints = readJson<Footprint[]>('footprints') ?? [];

  // a record's small map only shows where the record is: on a touch screen, a finger on it scrolls the page
  const dragging = !(mode === 'record' && L.Browser.mobile);
  const map = L.map(el, { minZoom: 1, maxZoom: 14, zoomSnap: 0.25, boxZoom: false, worldCopyJump: false, dragging, zoomControl: false });
  // the zoom buttons named in the page's language (Leaflet's own names are English)
  L.control
    .zoom({ ...(msg?.zoomIn ? { zoomInTitle: msg.zoomIn } : {}), ...(msg?.zoomOut ? { zoomOutTitle: msg.zoomOut } : {}) })
    .addTo(map);
  // the map, for scripts driving the page (and the browser tests, which draw boxes at known places)
  (window as unknown as { hubMap?: Leaflet.Map }).hubMap = map;
  map.attributionControl.setPrefix(`<a href="${base}/vendor/leaflet-LICENSE">Leaflet</a>`);
  map.attributionControl.addAttribution('Natural Earth · IGN Admin Express COG (Licence Ouverte)');
  if (msg) el.setAttribute('aria-label', msg.label);
  void basemap(map, base);

  // Footprints, and their link with the result list.
  const layers = new Map<string, Leaflet.Rectangle[]>();
  const all: Leaflet.LatLngBounds[] = [];
  for (const f of footprints) {
    const rects = f.boxes.flatMap(parts).map((b) => {
      const r = L.rectangle(b, STYLE.footprint).bindTooltip(f.title, { sticky: true });
      if (f.href) r.on('click', () => (window.location.href = f.href!));
      all.push(r.getBounds());
      // not a tab stop (Chromium makes an SVG path with focus listeners, which the tooltip adds, one): a footprint has
      // no name of its own and Enter does nothing on it; the result list links the same records, and focusing a
      // result outlines its footprint. Its element exists once the map has a view, hence on 'add'.
      r.on('add', () => r.getElement()?.setAttribute('tabindex', '-1'));
      r.addTo(map);
      return r;
    });
    layers.set(f.id, rects);
  }
  const highlight = (id: string, on: boolean) => {
    for (const r of layers.get(id) ?? []) {
      r.setStyle(on ? STYLE.highlight : STYLE.footprint);
      if (on) r.bringToFront();
    }
  };
  for (const li of Array.from(document.querySelectorAll<HTMLElement>('.hit[data-id]'))) {
    const id = li.dataset.id!;
    li.addEventListener('mouseenter', () => highlight(id, true));
    li.addEventListener('mouseleave', () => highlight(id, false));
    li.addEventListener('focusin', () => highlight(id, true));
    li.addEventListener('focusout', () => highlight(id, false));
  }

  // The box of the query, and the first view: the box, else the footprints, else France.
  const bboxText = el.dataset.bbox ?? '';
  const current = bboxText ? (bboxText.split(',').map(Number) as Box) : undefined;
  const queryRects = current ? parts(current).map((b) => L.rectangle(b, STYLE.query).addTo(map)) : [];
  const union = (list: Leaflet.LatLngBounds[]) =>
    list.slice(1).reduce((acc, b) => acc.extend(b), L.latLngBounds(list[0].getSouthWest(), list[0].getNorthEast()));
  const fit = () => {
    if (queryRects.length) map.fitBounds(union(queryRects.map((r) => r.getBounds())), { maxZoom: 10 });
    else if (all.length) map.fitBounds(union(all), { maxZoom: mode === 'record' ? 7 : 8, padding: [30, 30] });
    else map.fitBounds(FRANCE);
  };
  fit();

  // How to use the map without a mouse, said under it and read with it.
  if (msg?.keys) {
    const hint = document.createElement('p');
    hint.className = 'hint map-keys';
    hint.id = 'map-keys';
    hint.textContent = msg.keys;
    el.after(hint);
    el.setAttribute('aria-describedby', hint.id);
  }
  if (mode === 'search' && msg?.show && msg.hide) foldable(el, map, !current, fit, msg.show, msg.hide);
  el.setAttribute('data-ready', 'true');

  if (mode !== 'search' || !msg?.draw || !msg.drawing || !msg.view || !msg.clear) return;
  const words = { draw: msg.draw, drawing: msg.drawing, view: msg.view, clear: msg.clear, keys: msg.keys };
  const input = document.querySelector<HTMLInputElement>('form.search input[name="bbox"]');
  const form = input?.form;
  if (!input || !form) return;
  const submitBox = (b: Box | undefined) => {
    input.value = b ? b.join(',') : '';
    form.requestSubmit();
  };

  // The controls: real buttons, reachable with the keyboard.
  const bar = L.DomUtil.create('div', 'leaflet-bar map-tools');
  const button = (text: string, cls: string) => {
    const b = L.DomUtil.create('button', cls, bar);
    b.type = 'button';
    b.textContent = text;
    return b;
  };
  const draw = button(words.draw, 'draw-box');
  draw.setAttribute('aria-pressed', 'false');
  // drawing takes a pointer: the hint says what the keyboard does instead
  if (words.keys) draw.setAttribute('aria-describedby', 'map-keys');
  const view = button(words.view, 'search-view');
  const clear = current ? button(words.clear, 'clear-box') : undefined;
  L.DomEvent.disableClickPropagation(bar);
  const Tools = L.Control.extend({ onAdd: () => bar });
  new Tools({ position: 'topright' }).addTo(map);

  view.addEventListener('click', () => {
    const b = map.getBounds();
    submitBox(boxOf(b.getSouthWest(), b.getNorthEast()));
  });
  clear?.addEventListener('click', () => submitBox(undefined));

  // Drawing: press the button, then drag on the map (mouse, pen or finger); Escape or the button again cancels.
  let drawing = false;
  let start: Leaflet.LatLng | undefined;
  let rect: Leaflet.Rectangle | undefined;
  const container = map.getContainer();
  const setDrawing = (on: boolean) => {
    drawing = on;
    draw.setAttribute('aria-pressed', String(on));
    draw.textContent = on ? words.drawing : words.draw;
    container.classList.toggle('drawing', on);
    if (on) map.dragging.disable();
    else map.dragging.enable();
    start = undefined;
    rect?.remove();
    rect = undefined;
  };
  draw.addEventListener('click', () => setDrawing(!drawing));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && drawing) setDrawing(false);
  });
  const at = (e: PointerEvent) => map.mouseEventToLatLng(e);
  container.addEventListener('pointerdown', (e) => {
    if (!drawing || e.button !== 0 || (e.target as HTMLElement).closest('.map-tools')) return;
    e.preventDefault();
    container.setPointerCapture(e.pointerId);
    start = at(e);
  });
  container.addEventListener('pointermove', (e) => {
    if (!drawing || !start) return;
    const bounds = L.latLngBounds(start, at(e));
    if (rect) rect.setBounds(bounds);
    else rect = L.rectangle(bounds, STYLE.query).addTo(map);
  });
  container.addEventListener('pointerup', (e) => {
    if (!drawing || !start) return;
    const end = at(e);
    const from = start;
    const moved = map.latLngToContainerPoint(from).distanceTo(map.latLngToContainerPoint(end));
    if (moved < 5) {
      start = undefined;
      return;
    }
    setDrawing(false);
    submitBox(boxOf(from, end));
  });
}

/**
 * The "show the map" / "hide the map" button before the map, shown on narrow screens only (pages.css). On a narrow
 * screen the map starts folded when `fold` (no box in the query); widening the window unfolds it, since the button is
 * then gone.
 */
function foldable(el: HTMLElement, map: Leaflet.Map, fold: boolean, fit: () => void, show: string, hide: string): void {
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'map-toggle';
  toggle.setAttribute('aria-controls', el.id);
  const hint = document.getElementById('map-keys');
  const set = (open: boolean) => {
    const was = !el.hidden;
    el.hidden = !open;
    if (hint) hint.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? hide : show;
    // a map shown again measures its container anew, and shows what it showed first
    if (open && !was) {
      map.invalidateSize();
      fit();
    }
  };
  el.before(toggle);
  const narrow = window.matchMedia(NARROW);
  set(!(narrow.matches && fold));
  toggle.addEventListener('click', () => set(el.hidden));
  narrow.addEventListener('change', (e) => {
    if (!e.matches) set(true);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
