// A headless browser for the bpmn-io packages: jsdom plus the SVG geometry and canvas text
// measuring jsdom does not implement (diagram-js only needs plausible numbers to lay out shapes;
// nothing here influences the BPMN the packages produce).
export async function installBrowser() {
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('<!DOCTYPE html><html><body><div id="canvas"></div></body></html>', {
    pretendToBeVisual: true
  });
  installBrowserGlobals(dom.window);
  return dom;
}

function installBrowserGlobals(window) {
  const names = [
    'window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'SVGElement',
    'DOMParser', 'XMLSerializer', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame',
    'CustomEvent', 'Event', 'KeyboardEvent', 'MouseEvent', 'DocumentFragment', 'MutationObserver'
  ];
  for (const name of names) {
    if (window[name] !== undefined && globalThis[name] === undefined) {
      Object.defineProperty(globalThis, name, { value: window[name], configurable: true, writable: true });
    }
  }

  if (globalThis.CSS === undefined) {
    globalThis.CSS = { escape: value => String(value).replace(/[^\w-]/g, ch => '\\' + ch) };
  }

  class SVGMatrix {
    constructor() { Object.assign(this, { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }); }
    inverse() { return new SVGMatrix(); }
    multiply() { return new SVGMatrix(); }
    translate() { return new SVGMatrix(); }
    scale() { return new SVGMatrix(); }
  }
  globalThis.SVGMatrix = SVGMatrix;
  const matrix = () => new SVGMatrix();

  // text layout measures labels on a 2D canvas
  window.HTMLCanvasElement.prototype.getContext = function() {
    return {
      font: '',
      measureText: text => ({ width: String(text).length * 7, actualBoundingBoxAscent: 10, actualBoundingBoxDescent: 3 })
    };
  };
  const transform = () => ({ type: 1, matrix: matrix(), setMatrix() {}, setTranslate() {} });
  const transformList = () => {
    const items = [];
    return {
      get numberOfItems() { return items.length; },
      appendItem(item) { items.push(item); return item; },
      clear() { items.length = 0; },
      getItem(index) { return items[index]; },
      initialize(item) { items.length = 0; items.push(item); return item; },
      consolidate() { return items.length ? items[0] : null; },
      createSVGTransformFromMatrix() { return transform(); }
    };
  };

  const proto = window.SVGElement.prototype;
  proto.getBBox = function() { return { x: 0, y: 0, width: 100, height: 20 }; };
  proto.getScreenCTM = function() { return matrix(); };
  proto.getCTM = function() { return matrix(); };
  proto.getComputedTextLength = function() { return 50; };
  proto.createSVGMatrix = function() { return matrix(); };
  proto.createSVGTransform = function() { return transform(); };
  proto.createSVGTransformFromMatrix = function() { return transform(); };
  Object.defineProperty(proto, 'transform', {
    configurable: true,
    get() {
      if (!this.__transform) {
        this.__transform = { baseVal: transformList() };
      }
      return this.__transform;
    }
  });
}
