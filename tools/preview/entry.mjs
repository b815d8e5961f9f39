// The page `etk preview` writes: Camunda's own Modeler libraries (bpmn-js, the properties panel,
// the Camunda 8 element templates, zeebe-bpmn-moddle, camunda-bpmn-js-behaviors) with one element
// template applied to a task, and beside the panel the BPMN XML of that task.
//
// Bundled by tools/build-preview-bundle.mjs into generator/preview/assets/; the page reads its
// configuration from <script type="application/json" id="etk-preview-config">:
//   {"templates": [...], "diagram": "<bpmn xml>", "element": "Task_1", "fileName": "x.bpmn"}
// and exposes `window.etkPreview` (the Modeler and a few helpers) for the audit and tests.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';

import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule
} from 'bpmn-js-properties-panel';
import { CloudElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';

async function start() {
  const config = JSON.parse(document.getElementById('etk-preview-config').textContent);
  const modeler = new BpmnModeler({
    container: '#canvas',
    propertiesPanel: { parent: '#panel' },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      ZeebePropertiesProviderModule,
      CloudElementTemplatesPropertiesProviderModule,
      ZeebeBehaviorsModule
    ],
    moddleExtensions: { zeebe: zeebeModdle }
  });
  const xmlPane = document.getElementById('task-xml');
  const status = document.getElementById('status');

  function element() {
    return modeler.get('elementRegistry').get(config.element);
  }

  /** The task as BPMN XML: what the panel's values make of it. */
  async function taskXml() {
    const { xml } = await modeler.get('moddle').toXML(element().businessObject, { format: true });
    return xml;
  }

  async function diagramXml() {
    const { xml } = await modeler.saveXML({ format: true });
    return xml;
  }

  // The template icon the task carries (a data URI of a kilobyte or more) would fill the top of
  // the pane: the pane shows its start and how much more there is; Copy XML copies it whole.
  const LONG_ICON = /(zeebe:modelerTemplateIcon="data:[^,"]*,)([^"]{24})([^"]{40,})"/;
  function shownXml(xml) {
    return xml.replace(LONG_ICON, (all, start, head, rest) => `${ start }${ head }… [${ rest.length } more characters, copied in full]"`);
  }

  let fullXml = '';
  let rendering = Promise.resolve();
  function renderXml() {
    rendering = rendering.then(async () => {
      fullXml = await taskXml();
      xmlPane.textContent = shownXml(fullXml);
    });
    return rendering;
  }

  /** Import the diagram, apply the newest template (unless the task already uses one), select it. */
  async function reset() {
    await modeler.importXML(config.diagram);
    const templates = modeler.get('elementTemplates');
    const task = element();
    if (!task) {
      throw new Error(`no element ${ config.element } in the diagram`);
    }
    if (!templates.get(task)) {
      const newest = config.templates.reduce((a, b) => ((b.version || 0) > (a.version || 0) ? b : a));
      templates.applyTemplate(task, newest);
    }
    modeler.get('canvas').zoom('fit-viewport', 'auto');
    await showTask();
    await renderXml();
  }

  modeler.on('commandStack.changed', renderXml);
  let panelElement = null;
  modeler.on('propertiesPanel.updated', event => {
    panelElement = event.element && event.element.id;
  });

  /** Select the task; the panel (mounted lazily) shows the diagram root after an import, so
   * select again until it shows the task. */
  async function showTask() {
    const selection = modeler.get('selection');
    for (let attempt = 0; attempt < 50; attempt++) {
      if (panelElement !== config.element) {
        selection.select(null);
        selection.select(element());
      }
      await new Promise(resolve => setTimeout(resolve, 20));
      if (panelElement === config.element) {
        return;
      }
    }
    throw new Error('the properties panel did not show the task');
  }

  // set once: the panel re-renders the element it showed before on every change of the templates
  modeler.get('elementTemplates').set(config.templates);

  document.getElementById('copy-xml').addEventListener('click', async () => {
    await rendering;
    try {
      await navigator.clipboard.writeText(fullXml);
      status.textContent = 'Copied.';
    } catch (error) {
      // no clipboard permission (e.g. a file:// page in some browsers): show the whole XML and
      // select it instead
      xmlPane.textContent = fullXml;
      const range = document.createRange();
      range.selectNodeContents(xmlPane);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = 'Press Ctrl+C to copy the selected XML.';
    }
  });

  document.getElementById('download-diagram').addEventListener('click', async () => {
    const blob = new Blob([ await diagramXml() ], { type: 'application/xml' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = config.fileName || 'diagram.bpmn';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });

  window.etkPreview = { modeler, config, reset, taskXml, diagramXml, settled: () => rendering };
  try {
    await reset();
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.textContent = String(error && error.message || error);
    document.body.dataset.ready = 'error';
    throw error;
  }
}

start();
