import { describe, expect, it } from 'vitest';
import { INTAKE_FIELDS, PERSON_GROUPS, TRAFFICKING_GROUPS } from './caseSections';
import {
  addPickedCodes,
  changedFields,
  checkFormValues,
  dropBlankRows,
  emptyFormValues,
  filledFields,
  formValues,
  isLongCodeList,
  newDocumentRow,
  newEventRow,
  type FieldDescriptor,
} from './recordForm';

const PERSON = PERSON_GROUPS.flatMap((group) => group.fields);
const TRAFFICKING = TRAFFICKING_GROUPS.flatMap((group) => group.fields);

const stored = {
  given_name: 'Dragica',
  family_name: null,
  aliases: ['Gica'],
  gender: 'Feminine',
  birth_date: null,
  estimated_age: 17,
  citizenships: ['RS', 'XK'],
  languages: null,
  phone: null,
  email: null,
  address: null,
  identity_documents: [{ type: 'Passport', custody: 'WithheldByTrafficker', details: null }],
};

describe('changedFields', () => {
  it('sends nothing when nothing was edited', () => {
    const original = formValues(stored, PERSON);
    expect(changedFields(original, formValues(stored, PERSON), PERSON)).toStrictEqual({});
  });

  it('sends only the fields that changed, trimmed', () => {
    const original = formValues(stored, PERSON);
    const edited = formValues(stored, PERSON);
    edited.text.family_name = '  Petrović ';
    edited.text.given_name = 'Dragica ';
    expect(changedFields(original, edited, PERSON)).toStrictEqual({ family_name: 'Petrović' });
  });

  it('sends null for a field emptied', () => {
    const original = formValues(stored, PERSON);
    const edited = formValues(stored, PERSON);
    edited.text.gender = '';
    edited.text.estimated_age = ' ';
    edited.lists.aliases = [];
    edited.documents = [];
    expect(changedFields(original, edited, PERSON)).toStrictEqual({
      gender: null,
      estimated_age: null,
      aliases: null,
      identity_documents: null,
    });
  });

  it('sends an age as a number, and anything else as typed for the core to refuse', () => {
    const original = formValues(stored, PERSON);
    const edited = formValues(stored, PERSON);
    edited.text.estimated_age = '18';
    expect(changedFields(original, edited, PERSON)).toStrictEqual({ estimated_age: 18 });
    edited.text.estimated_age = 'about 18';
    expect(changedFields(original, edited, PERSON)).toStrictEqual({ estimated_age: 'about 18' });
  });

  it('treats codes as a set but the order of other names as meaningful', () => {
    const original = formValues(stored, PERSON);
    const edited = formValues(stored, PERSON);
    edited.lists.citizenships = ['XK', 'RS'];
    expect(changedFields(original, edited, PERSON)).toStrictEqual({});
    edited.lists.citizenships = ['XK'];
    expect(changedFields(original, edited, PERSON)).toStrictEqual({ citizenships: ['XK'] });
    edited.lists.aliases = ['Gica', 'Dragi'];
    expect(changedFields(original, edited, PERSON)).toMatchObject({ aliases: ['Gica', 'Dragi'] });
  });

  it('sends the whole list of documents when one part of one changes, without empty parts', () => {
    const original = formValues(stored, PERSON);
    const edited = formValues(stored, PERSON);
    edited.documents[0]!.custody = 'HeldByShelter';
    edited.documents.push({ ...newDocumentRow(), type: 'NationalIdCard', custody: 'Lost', details: ' 12 ' });
    expect(changedFields(original, edited, PERSON)).toStrictEqual({
      identity_documents: [
        { type: 'Passport', custody: 'HeldByShelter' },
        { type: 'NationalIdCard', custody: 'Lost', details: '12' },
      ],
    });
  });

  it('sends places and dates with only the parts given', () => {
    const original = emptyFormValues(TRAFFICKING);
    const edited = emptyFormValues(TRAFFICKING);
    edited.events.push({
      ...newEventRow(),
      type: 'Recruitment',
      country: 'AL',
      locality: ' Elbasan ',
      date: '',
    });
    expect(changedFields(original, edited, TRAFFICKING)).toStrictEqual({
      trafficking_events: [{ type: 'Recruitment', country: 'AL', locality: 'Elbasan' }],
    });
  });
});

describe('filledFields', () => {
  it('sends every field the intake form has a value for, and nothing empty', () => {
    const values = emptyFormValues(INTAKE_FIELDS);
    values.text.given_name = 'Arbër';
    values.text.trafficking_status = 'PossibleVictimOfTrafficking';
    values.text.date_identified = '2026-11-20';
    values.lists.citizenships = ['AL'];
    expect(filledFields(values, INTAKE_FIELDS)).toStrictEqual({
      given_name: 'Arbër',
      citizenships: ['AL'],
      trafficking_status: 'PossibleVictimOfTrafficking',
      date_identified: '2026-11-20',
    });
  });
});

describe('checkFormValues', () => {
  it('names missing required fields', () => {
    const values = emptyFormValues(INTAKE_FIELDS);
    expect(checkFormValues(values, INTAKE_FIELDS)).toStrictEqual([
      { field: 'trafficking_status', problem: 'required' },
      { field: 'date_identified', problem: 'required' },
    ]);
  });

  it('names malformed dates and ages', () => {
    const values = emptyFormValues(INTAKE_FIELDS);
    values.text.trafficking_status = 'PossibleVictimOfTrafficking';
    values.text.date_identified = '2026-02-30';
    values.text.birth_date = '14.3.2009';
    values.text.estimated_age = 'seventeen';
    expect(checkFormValues(values, INTAKE_FIELDS)).toStrictEqual([
      { field: 'birth_date', problem: 'not_a_date' },
      { field: 'estimated_age', problem: 'not_a_whole_number' },
      { field: 'date_identified', problem: 'not_a_date' },
    ]);
    values.text.estimated_age = '121';
    expect(checkFormValues(values, INTAKE_FIELDS)).toContainEqual({
      field: 'estimated_age',
      problem: 'out_of_range',
    });
  });

  it('names the part of a list entry the way the core does', () => {
    const values = emptyFormValues(PERSON);
    values.documents = [
      { ...newDocumentRow(), type: 'Passport', custody: 'Lost' },
      { ...newDocumentRow(), details: 'no type' },
    ];
    expect(checkFormValues(values, PERSON)).toStrictEqual([
      { field: 'identity_documents.1.type', problem: 'required' },
      { field: 'identity_documents.1.custody', problem: 'required' },
    ]);
  });

  it('accepts a form with what it needs', () => {
    const values = emptyFormValues(INTAKE_FIELDS);
    values.text.trafficking_status = 'ActualVictimOfTrafficking';
    values.text.date_identified = '2024-02-29';
    values.text.estimated_age = '16';
    expect(checkFormValues(values, INTAKE_FIELDS)).toStrictEqual([]);
  });
});

describe('dropBlankRows', () => {
  it('removes rows left empty, so the numbering on screen is what is sent', () => {
    const descriptors: FieldDescriptor[] = [
      { name: 'aliases', kind: 'textList' },
      { name: 'identity_documents', kind: 'documents' },
      { name: 'trafficking_events', kind: 'events' },
    ];
    const values = emptyFormValues(descriptors);
    values.lists.aliases = ['', 'Gica', '  '];
    values.documents = [newDocumentRow(), { ...newDocumentRow(), type: 'Passport' }];
    values.events = [{ ...newEventRow(), locality: 'Niš' }, newEventRow()];
    dropBlankRows(values);
    expect(values.lists.aliases).toStrictEqual(['Gica']);
    expect(values.documents.map((row) => row.type)).toStrictEqual(['Passport']);
    expect(values.events.map((row) => row.locality)).toStrictEqual(['Niš']);
  });
});

describe('addPickedCodes', () => {
  it('gives each long list of codes an empty pick, and no other field one', () => {
    const values = formValues(stored, PERSON);
    expect(values.picks).toStrictEqual({ citizenships: '', languages: '' });
    expect(PERSON.filter(isLongCodeList).map((descriptor) => descriptor.name)).toStrictEqual([
      'citizenships',
      'languages',
    ]);
    expect(TRAFFICKING.some(isLongCodeList)).toBe(false);
  });

  it('adds a country picked but not added, so that saving does not drop it', () => {
    const original = formValues(stored, PERSON);
    const edited = formValues(stored, PERSON);
    edited.picks.citizenships = 'AL';
    edited.picks.languages = 'sq';
    addPickedCodes(edited);
    expect(edited.lists.citizenships).toStrictEqual(['RS', 'XK', 'AL']);
    expect(edited.picks).toStrictEqual({ citizenships: '', languages: '' });
    expect(changedFields(original, edited, PERSON)).toStrictEqual({
      citizenships: ['RS', 'XK', 'AL'],
      languages: ['sq'],
    });
  });

  it('adds nothing twice, and nothing when no value is picked', () => {
    const values = formValues(stored, PERSON);
    values.picks.citizenships = 'XK';
    addPickedCodes(values);
    addPickedCodes(values);
    expect(values.lists.citizenships).toStrictEqual(['RS', 'XK']);
    expect(values.lists.languages).toStrictEqual([]);
  });

  it('sends a pick on a new record too', () => {
    const values = emptyFormValues(INTAKE_FIELDS);
    values.picks.citizenships = 'RS';
    addPickedCodes(values);
    expect(filledFields(values, INTAKE_FIELDS).citizenships).toStrictEqual(['RS']);
  });
});
