/** Describe metadata rendered from the object table: sobjects/<X>/describe and the global sobjects list. */
import type { ObjectSpec } from './schema.js';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double',
  percent: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime',
};

const urls = (o: ObjectSpec, version: string) => {
  const b = `/services/data/${version}/sobjects/${o.name}`;
  return { sobject: b, describe: `${b}/describe`, rowTemplate: `${b}/{ID}` };
};

export function describeObject(o: ObjectSpec, version: string) {
  return {
    name: o.name, label: o.label, labelPlural: o.labelPlural, keyPrefix: o.keyPrefix, custom: false, queryable: true,
    retrieveable: true, searchable: true, createable: o.name !== 'Organization', updateable: o.name !== 'Organization',
    deletable: o.name !== 'Organization' && o.name !== 'User', replicateable: true, layoutable: true, triggerable: true,
    childRelationships: [], recordTypeInfos: [], urls: urls(o, version),
    fields: o.fields.map((f) => {
      const text = !SOAP_TYPES[f.type];
      const system = ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'].includes(f.name);
      return {
        name: f.name, label: f.label, type: f.type, soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
        length: text ? (f.length ?? (f.type === 'id' ? 18 : 255)) : 0,
        byteLength: text ? (f.length ?? 255) * 3 : 0,
        precision: f.type === 'currency' ? 18 : 0, scale: f.type === 'currency' ? 2 : 0, digits: f.type === 'int' ? 9 : 0,
        custom: f.custom ?? false, nillable: !system && f.name !== 'Name' && f.name !== 'LastName', calculated: false,
        createable: !system, updateable: !system, filterable: f.type !== 'textarea', sortable: f.type !== 'textarea',
        groupable: f.type !== 'textarea', idLookup: f.name === 'Id', nameField: f.name === 'Name', unique: false,
        externalId: false, autoNumber: false, defaultedOnCreate: system, deprecatedAndHidden: false,
        referenceTo: f.referenceTo ?? [], relationshipName: f.relationshipName ?? null, polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1,
        picklistValues: (f.values ?? []).map((v) => ({ active: true, defaultValue: false, label: v, validFor: null, value: v })),
        restrictedPicklist: false, dependentPicklist: false, htmlFormatted: false, inlineHelpText: null,
      };
    }),
  };
}

export function describeGlobal(objects: readonly ObjectSpec[], version: string) {
  return {
    encoding: 'UTF-8', maxBatchSize: 200,
    sobjects: objects.map((o) => ({
      name: o.name, label: o.label, labelPlural: o.labelPlural, keyPrefix: o.keyPrefix, custom: false, queryable: true,
      retrieveable: true, searchable: true, createable: true, updateable: true, deletable: true, urls: urls(o, version),
    })),
  };
}
