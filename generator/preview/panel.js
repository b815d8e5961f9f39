// Reads what the properties panel of an `etk preview` page shows, as a user sees it: injected by
// generator/preview/browser.py into the page (Playwright `evaluate`), never part of the page itself.
// Every function returns plain JSON.
(() => {
  const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const text = node => (node ? node.innerText.replace(/\s+/g, ' ').trim() : null);
  const ENTRY_INDEX = /-(\d+)$/;

  function panelRoot() {
    return document.querySelector('#panel .bio-properties-panel');
  }

  /** Open every closed group (a user clicks each header), until none is left closed. */
  async function openGroups() {
    for (let round = 0; round < 10; round++) {
      const closed = [ ...panelRoot().querySelectorAll('.bio-properties-panel-group-header:not(.open)') ];
      if (!closed.length) {
        return;
      }
      closed.forEach(header => header.click());
      await frame();
    }
  }

  /** Close every open group whose title is not in `keep` (a user clicks their headers). */
  async function closeGroupsExcept(keep) {
    for (const header of panelRoot().querySelectorAll('.bio-properties-panel-group-header.open')) {
      if (!keep.includes(text(header.querySelector('.bio-properties-panel-group-header-title')))) {
        header.click();
      }
    }
    await frame();
  }

  /** The template property an entry belongs to (the cloud element templates number their entries). */
  function propertyOf(entryId, template) {
    const match = ENTRY_INDEX.exec(entryId);
    if (!template || !match || !entryId.startsWith('custom-entry-')) {
      return null;
    }
    return template.properties[Number(match[1])] || null;
  }

  function fieldKind(entry) {
    const select = entry.querySelector('select');
    if (select) {
      return 'Dropdown';
    }
    if (entry.querySelector('input[type=checkbox]')) {
      return 'Checkbox';
    }
    if (entry.querySelector('.bio-properties-panel-feel-editor-container, .cm-editor')) {
      return 'FEEL';
    }
    if (entry.querySelector('textarea')) {
      return 'Text';
    }
    if (entry.querySelector('input[type=number]')) {
      return 'Number';
    }
    if (entry.querySelector('input')) {
      return 'String';
    }
    return 'Other';
  }

  /** Groups and fields in display order, with red messages and dropdown entries. */
  async function readPanel() {
    await window.etkPreview.settled();
    await frame();
    await openGroups();
    const element = window.etkPreview.modeler.get('elementRegistry').get(window.etkPreview.config.element);
    const template = window.etkPreview.modeler.get('elementTemplates').get(element);
    const fields = [];
    for (const group of panelRoot().querySelectorAll('.bio-properties-panel-group')) {
      const groupLabel = text(group.querySelector('.bio-properties-panel-group-header-title'));
      for (const entry of group.querySelectorAll('[data-entry-id]')) {
        if (entry.parentElement.closest('[data-entry-id]')) {
          continue; // an entry inside a list item is part of its parent
        }
        const id = entry.dataset.entryId;
        const property = propertyOf(id, template);
        const select = entry.querySelector('select');
        const feelToggle = entry.querySelector('.bio-properties-panel-feel-icon');
        fields.push({
          entryId: id,
          propertyId: property ? (property.id || null) : null,
          group: groupLabel,
          label: text(entry.querySelector('.bio-properties-panel-label')),
          kind: fieldKind(entry),
          feel: feelToggle ? (feelToggle.classList.contains('optional') ? 'optional' : 'required') : null,
          errors: [ ...entry.querySelectorAll('.bio-properties-panel-error') ].map(text).filter(Boolean),
          description: text(entry.querySelector('.bio-properties-panel-description')),
          hasTooltip: !!entry.querySelector('.bio-properties-panel-tooltip-wrapper'),
          choices: select ? [ ...select.options ].map(option => ({ label: option.text, value: option.value })) : null,
          value: select ? select.value : null
        });
      }
    }
    return { template: template ? { id: template.id, version: template.version } : null, fields };
  }

  /** The rendered text of each field's tooltip: focus its label (as a keyboard user), read, blur. */
  async function readTooltips(entryIds) {
    const tooltips = {};
    for (const id of entryIds) {
      const wrapper = document.querySelector(`[data-entry-id="${ CSS.escape(id) }"] .bio-properties-panel-tooltip-wrapper`);
      if (!wrapper) {
        continue;
      }
      wrapper.focus();
      await frame();
      tooltips[id] = text(document.querySelector('#bio-properties-panel-tooltip .bio-properties-panel-tooltip-content'));
      wrapper.blur();
      await frame();
    }
    return tooltips;
  }

  /** The value the element holds for a template property (what the Modeler would save). */
  function storedValue(propertyIndex) {
    const element = window.etkPreview.modeler.get('elementRegistry').get(window.etkPreview.config.element);
    const template = window.etkPreview.modeler.get('elementTemplates').get(element);
    const binding = template.properties[propertyIndex].binding;
    const values = (element.businessObject.extensionElements || { values: [] }).values;
    if (binding.type === 'zeebe:input') {
      const io = values.find(value => value.$type === 'zeebe:IoMapping');
      const input = io && (io.inputParameters || []).find(parameter => parameter.target === binding.name);
      return input ? (input.source === undefined ? null : input.source) : null;
    }
    if (binding.type === 'zeebe:taskHeader') {
      const headers = values.find(value => value.$type === 'zeebe:TaskHeaders');
      const header = headers && (headers.values || []).find(entry => entry.key === binding.key);
      return header ? header.value : null;
    }
    return null;
  }

  window.etkPanel = { readPanel, readTooltips, storedValue, openGroups, closeGroupsExcept };
})();
