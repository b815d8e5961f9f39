// The real Camunda Modeler apply code, headless: the reference etk's `apply` is tested against.
//
// Runs bpmn-js (Modeler), bpmn-js-element-templates (cloud element templates core),
// zeebe-bpmn-moddle and camunda-bpmn-js-behaviors in jsdom, and for each case imports a diagram,
// performs the steps a user would (apply a template, type values into the properties panel,
// save and reopen, upgrade, unlink, remove) and exports the XML.
//
//   node tools/modeler-apply.mjs < cases.json > results.json
//
// cases.json: {"cases": [{"name", "diagram": "<xml>", "element": "Task_1",
//               "templates": [template, ...],              // all versions the Modeler knows
//               "steps": [{"apply": {"id", "version"}} | {"set": [[propertyId, "typed text"], ...]}
//                         | {"reimport": true} | {"unlink": true} | {"remove": true}]}]}
// results.json: {"<name>": {"xml": "..."} | {"error": "..."}}
//
// Typed text becomes what the panel's field hands over (a number field: parseFloat, a checkbox:
// a boolean, text fields: the text), FEEL-cast properties go through the panel's cast, and the
// value is stored by the panel's own `setPropertyValue`.
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

register('./modeler-esm-loader.mjs', import.meta.url);

const { installBrowser } = await import('./modeler-browser.mjs');
const dom = await installBrowser();

const { default: Modeler } = await import('bpmn-js/lib/Modeler.js');
const { CloudElementTemplatesCoreModule, __setPropertyValue, __shouldCastToFeel, __toFeelExpression } =
  await import('bpmn-js-element-templates/core');
const { default: BehaviorsModule } = await import('camunda-bpmn-js-behaviors/lib/camunda-cloud/index.js');
const zeebeModdle = JSON.parse(readFileSync(
  new URL('./node_modules/zeebe-bpmn-moddle/resources/zeebe.json', import.meta.url), 'utf8'
));

const input = JSON.parse(readFileSync(0, 'utf8'));
const results = {};

for (const testCase of input.cases) {
  try {
    results[testCase.name] = { xml: await runCase(testCase) };
  } catch (error) {
    results[testCase.name] = { error: String(error && error.stack || error) };
  }
}

process.stdout.write(JSON.stringify(results, null, 2) + '\n');


async function runCase(testCase) {
  const container = dom.window.document.createElement('div');
  dom.window.document.body.appendChild(container);

  const modeler = new Modeler({
    container,
    additionalModules: [ CloudElementTemplatesCoreModule, BehaviorsModule ],
    moddleExtensions: { zeebe: zeebeModdle },
    elementTemplates: []
  });

  try {
    const elementTemplates = modeler.get('elementTemplates');
    elementTemplates.set(testCase.templates);

    await modeler.importXML(testCase.diagram);

    for (const step of testCase.steps) {
      const element = modeler.get('elementRegistry').get(testCase.element);
      if (!element) {
        throw new Error(`no element ${ testCase.element }`);
      }

      if (step.apply) {
        const template = testCase.templates.find(
          t => t.id === step.apply.id && t.version === step.apply.version
        );
        elementTemplates.applyTemplate(element, template);
      } else if (step.set) {
        for (const [ propertyId, typed ] of step.set) {
          setTypedValue(modeler, modeler.get('elementRegistry').get(testCase.element), propertyId, typed);
        }
      } else if (step.reimport) {
        const { xml } = await modeler.saveXML({ format: true });
        await modeler.importXML(xml);
      } else if (step.unlink) {
        elementTemplates.unlinkTemplate(element);
      } else if (step.remove) {
        elementTemplates.removeTemplate(element);
      } else {
        throw new Error(`unknown step ${ JSON.stringify(step) }`);
      }
    }

    const { xml } = await modeler.saveXML({ format: true });
    return xml;
  } finally {
    modeler.destroy();
    container.remove();
  }
}

/**
 * What a user typing `typed` into the property's field makes the properties panel store.
 */
function setTypedValue(modeler, element, propertyId, typed) {
  const template = modeler.get('elementTemplates').get(element);
  const property = template.properties.find(p => p.id === propertyId);
  if (!property) {
    throw new Error(`template ${ template.id } has no property ${ propertyId }`);
  }

  let value;
  if (typeof typed === 'string' && typed.startsWith('=') && property.type !== 'Dropdown') {
    value = typed; // FEEL typed into a FEEL-enabled field
  } else if (property.type === 'Boolean') {
    value = typed === 'true'; // checkbox
  } else if (property.type === 'Number') {
    value = typed === '' ? undefined : parseFloat(typed); // number field
  } else {
    value = typed === '' && __shouldCastToFeel(property) ? undefined : typed;
  }

  if (__shouldCastToFeel(property)) {
    value = __toFeelExpression(value, property.type);
  }

  __setPropertyValue(
    modeler.get('bpmnFactory'), modeler.get('commandStack'), element, property, value
  );
}
