// Suggestions under a search box (fiches and authorities), as an ARIA 1.2 combobox:
// arrows move through the list, Enter opens the highlighted suggestion (or submits the
// search), Escape closes; a live region announces how many suggestions there are.
// Progressive enhancement: without JavaScript the box is a plain search field.
// data-autocomplete="collectivite" makes it an authority picker: authorities only, and
// choosing one submits the box's form with the authority's code.

const DELAY_MS = 150;
let counter = 0;

function enhance(input) {
  const picker = input.dataset.autocomplete === 'collectivite';
  const id = `suggestions-${++counter}`;
  const list = document.createElement('ul');
  list.id = id;
  list.className = 'autocomplete-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Suggestions');
  list.hidden = true;
  const status = document.createElement('div');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', id);
  input.parentElement.classList.add('autocomplete');
  input.insertAdjacentElement('afterend', list);
  list.insertAdjacentElement('afterend', status);

  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    items = [];
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) input.setAttribute('aria-activedescendant', `${id}-${index}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function show(suggestions) {
    items = suggestions;
    list.replaceChildren(...suggestions.map((suggestion, index) => {
      const option = document.createElement('li');
      option.id = `${id}-${index}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      const label = document.createElement('span');
      label.textContent = suggestion.libelle;
      const kind = document.createElement('small');
      kind.textContent = ` — ${suggestion.type}`;
      option.append(label, kind);
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(suggestion);
      });
      return option;
    }));
    const open = suggestions.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    active = -1;
    status.textContent = open ? `${suggestions.length} suggestion${suggestions.length > 1 ? 's' : ''} disponible${suggestions.length > 1 ? 's' : ''}` : '';
  }

  function choose(suggestion) {
    if (picker && suggestion.code && input.form) {
      input.value = suggestion.code;
      input.form.requestSubmit();
    } else {
      window.location.assign(suggestion.url);
    }
  }

  async function fetchSuggestions() {
    const text = input.value.trim();
    if (text.length < 2) return close();
    controller?.abort();
    controller = new AbortController();
    try {
      const kind = picker ? '&type=collectivite' : '';
      const response = await fetch(`/api/v1/suggestions?q=${encodeURIComponent(text)}${kind}`, { signal: controller.signal });
      if (response.ok) show(await response.json());
    } catch (error) {
      if (error.name !== 'AbortError') close();
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DELAY_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && items.length) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === 'ArrowUp' && items.length) {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

document.querySelectorAll('input[data-autocomplete]').forEach(enhance);
