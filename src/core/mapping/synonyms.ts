/**
 * What people call each canonical field in their headers, in English, German, French, Spanish, Portuguese,
 * Italian and Dutch. Phrases are written plainly and normalised at load with the same `normalizeName` as
 * headers (so "E-Mail-Adresse", "Téléphone" and "Código postal" match however they are spelled).
 * A phrase's weight is the confidence of an exact match on its own; 0.88 by default, so that ≥ 0.9 needs a
 * second signal (matching values, a catalogue entry).
 */
import type { EntityType } from '../ids.js';

export interface SynonymRule {
  readonly target: string;
  /** Only for these entities (default: every entity that has the target). */
  readonly entities?: readonly EntityType[];
  readonly weight?: number;
  readonly phrases: readonly string[];
}

const PERSON: EntityType[] = ['contacts', 'leads'];
const ORG_LINK: EntityType[] = ['contacts', 'deals'];

export const SYNONYM_RULES: readonly SynonymRule[] = [
  { target: 'externalId', phrases: ['id', 'record id', 'object id', 'external id', 'identifier', 'uid', 'uuid', 'record key', 'item id', 'row id', 'source id', 'crm id', 'hs object id', 'identifiant', 'identificador', 'identificativo', 'kennung', 'id number', 'unique id'] },
  { target: 'externalId', weight: 0.7, phrases: ['key', 'code', 'reference', 'ref', 'number', 'nummer', 'codice', 'codigo'] },
  {
    target: 'owner',
    phrases: [
      'owner', 'owner name', 'owner email', 'owner id', 'assigned to', 'assigned', 'assignee', 'assigned user', 'account manager', 'sales rep', 'rep', 'salesperson',
      'sales owner', 'record owner', 'hubspot owner', 'responsible', 'assigned to user', 'user', 'handler', 'sales representative', 'account owner', 'deal owner', 'contact owner', 'lead owner',
      'besitzer', 'inhaber', 'verantwortlich', 'verantwortlicher', 'zustandig', 'betreuer', 'eigentumer', 'vertriebsmitarbeiter', 'kundenbetreuer',
      'proprietaire', 'responsable', 'commercial', 'attribue a', 'charge de compte', 'propietario', 'asignado a', 'vendedor', 'ejecutivo de cuenta',
      'proprietario', 'responsavel', 'atribuido a', 'responsabile', 'assegnato a', 'commerciale', 'eigenaar', 'verantwoordelijke', 'toegewezen aan', 'accountmanager',
    ],
  },
  {
    target: 'sourceCreatedAt',
    phrases: [
      'created', 'created at', 'created on', 'created date', 'create date', 'creation date', 'date created', 'created time', 'date added', 'added on', 'added',
      'add time', 'creation time', 'created date time', 'record created', 'date creation', 'created datetime', 'create time', 'first created',
      'erstellt', 'erstellt am', 'erstelldatum', 'angelegt am', 'anlagedatum', 'erstellungsdatum', 'cree le', 'date de creation', 'ajoute le', 'creation',
      'creado', 'fecha de creacion', 'creado el', 'fecha creacion', 'criado em', 'data de criacao', 'data criacao', 'creato il', 'data di creazione', 'data creazione',
      'aangemaakt op', 'aanmaakdatum', 'gemaakt op', 'aangemaakt',
    ],
  },
  {
    target: 'sourceUpdatedAt',
    phrases: [
      'updated', 'updated at', 'last updated', 'modified', 'last modified', 'last modified date', 'modified date', 'modified time', 'update time', 'updated on',
      'date modified', 'last changed', 'changed at', 'last update', 'modified at', 'last modified time', 'updated date',
      'geandert', 'geandert am', 'zuletzt geandert', 'aktualisiert am', 'anderungsdatum', 'letzte anderung', 'modifie le', 'date de modification', 'mis a jour le',
      'derniere modification', 'modificado', 'fecha de modificacion', 'actualizado el', 'ultima modificacion', 'modificado em', 'atualizado em', 'data de modificacao',
      'ultima atualizacao', 'modificato il', 'data di modifica', 'ultima modifica', 'aggiornato il', 'gewijzigd op', 'laatst gewijzigd', 'bijgewerkt op',
    ],
  },
  // --- accounts ---
  {
    target: 'name', entities: ['accounts'],
    phrases: [
      'name', 'company', 'company name', 'account name', 'organization name', 'organization', 'business name', 'legal name', 'firm', 'customer name', 'client name',
      'customer', 'client', 'account', 'business', 'registered name', 'trading name',
      'firma', 'firmenname', 'unternehmen', 'unternehmensname', 'kunde', 'kundenname', 'entreprise', 'nom entreprise', 'societe', 'raison sociale', 'nom',
      'nom societe', 'client', 'empresa', 'nombre empresa', 'razon social', 'nombre', 'cliente', 'compania', 'nome empresa', 'nome', 'azienda', 'ragione sociale',
      'nome azienda', 'societa', 'denominazione', 'bedrijf', 'bedrijfsnaam', 'naam', 'organisatie', 'klant', 'klantnaam',
    ],
  },
  { target: 'domain', phrases: ['domain', 'company domain', 'domain name', 'website domain', 'company domain name', 'email domain', 'domane', 'domaine', 'nom de domaine', 'dominio', 'domein'] },
  {
    target: 'website',
    phrases: [
      'website', 'url', 'web', 'web page', 'company website', 'website url', 'web address', 'homepage', 'site url', 'webseite', 'internetseite', 'internetadresse',
      'site web', 'site internet', 'sitio web', 'pagina web', 'site', 'sito web', 'sito internet', 'webpagina', 'web url',
    ],
  },
  {
    target: 'industry',
    phrases: ['industry', 'sector', 'vertical', 'industry type', 'branche', 'industrie', 'wirtschaftszweig', 'secteur', 'secteur activite', 'industria', 'setor', 'ramo', 'settore', 'sector industria'],
  },
  {
    target: 'phone',
    phrases: [
      'phone', 'phone number', 'telephone', 'business phone', 'work phone', 'office phone', 'main phone', 'landline', 'phone 1', 'primary phone', 'contact number',
      'company phone', 'telephone number', 'phone work', 'direct phone', 'direct line', 'account phone',
      'telefon', 'telefonnummer', 'rufnummer', 'festnetz', 'telefon geschaftlich', 'numero telephone', 'telephone fixe', 'telephone professionnel',
      'telefono', 'numero telefono', 'telefone', 'numero telefone', 'fone', 'numero di telefono', 'telefoon', 'telefoonnummer', 'vaste telefoon',
    ],
  },
  {
    target: 'mobilePhone',
    phrases: [
      'mobile', 'mobile phone', 'mobile number', 'cell number', 'mobile phone number', 'cell phone', 'handy', 'mobiltelefon', 'mobilnummer', 'handy nummer',
      'portable', 'telephone portable', 'telephone mobile', 'numero portable', 'movil', 'celular', 'telefono movil', 'telefono celular', 'telemovel',
      'telefone celular', 'cellulare', 'telefono cellulare', 'mobiel', 'mobiel nummer', 'mobiele telefoon', 'mobielnummer',
    ],
  },
  {
    target: 'employees',
    phrases: [
      'employees', 'number employees', 'employee count', 'headcount', 'staff', 'company size', 'staff count', 'team size', 'size', 'workforce', 'number staff',
      'mitarbeiter', 'mitarbeiterzahl', 'anzahl mitarbeiter', 'beschaftigte', 'employes', 'nombre employes', 'effectif', 'effectifs', 'salaries', 'taille entreprise',
      'empleados', 'number empleados', 'plantilla', 'funcionarios', 'number funcionarios', 'colaboradores', 'dipendenti', 'number dipendenti', 'numero dipendenti',
      'medewerkers', 'aantal medewerkers', 'werknemers', 'personeel',
    ],
  },
  {
    target: 'annualRevenue',
    phrases: [
      'annual revenue', 'revenue', 'turnover', 'annual turnover', 'yearly revenue', 'sales volume', 'annual sales', 'umsatz', 'jahresumsatz', 'chiffre affaires', 'ca annuel',
      'revenu annuel', 'facturacion', 'ingresos anuales', 'ingresos', 'facturacion anual', 'faturamento', 'receita anual', 'receita', 'fatturato', 'fatturato annuo',
      'ricavi', 'omzet', 'jaaromzet',
    ],
  },
  {
    target: 'description', entities: ['accounts', 'contacts', 'leads', 'deals'],
    phrases: [
      'description', 'notes', 'note', 'comments', 'comment', 'about', 'details', 'remarks', 'summary', 'bio', 'memo', 'background', 'about us', 'additional information',
      'beschreibung', 'notizen', 'notiz', 'bemerkung', 'bemerkungen', 'kommentar', 'kommentare', 'remarques', 'commentaire', 'commentaires', 'descripcion', 'notas',
      'comentarios', 'observaciones', 'descricao', 'observacoes', 'descrizione', 'commenti', 'osservazioni', 'omschrijving', 'beschrijving', 'notities', 'opmerkingen',
    ],
  },
  {
    target: 'type', entities: ['accounts'],
    phrases: ['type', 'account type', 'company type', 'customer type', 'relationship', 'relationship type', 'kind', 'typ', 'art', 'kundentyp', 'type compte', 'tipo', 'tipo cuenta', 'tipo cliente', 'tipologia', 'soort', 'klanttype'],
  },
  { target: 'linkedinUrl', phrases: ['linkedin', 'linkedin url', 'linkedin profile', 'linkedin page', 'linkedin company page', 'linkedin link', 'linkedin profile url', 'linkedin company', 'profil linkedin', 'perfil linkedin', 'profilo linkedin'] },
  {
    target: 'street',
    phrases: [
      'street', 'street address', 'address', 'address line 1', 'address 1', 'street 1', 'street line 1', 'mailing address', 'billing address', 'postal address', 'road',
      'mailing street', 'billing street', 'street name', 'strasse', 'adresse', 'anschrift', 'strasse hausnummer', 'rue', 'adresse postale', 'voie', 'direccion', 'calle',
      'domicilio', 'endereco', 'rua', 'morada', 'logradouro', 'indirizzo', 'via', 'adres', 'straat', 'straatnaam', 'street line', 'address street',
    ],
  },
  {
    target: 'city',
    phrases: [
      'city', 'town', 'locality', 'city town', 'municipality', 'place', 'town city', 'city town village locality', 'stadt', 'ort', 'wohnort', 'gemeinde', 'ville', 'commune',
      'localite', 'ciudad', 'localidad', 'municipio', 'poblacion', 'cidade', 'localidade', 'citta', 'localita', 'comune', 'stad', 'plaats', 'woonplaats', 'gemeente',
    ],
  },
  {
    target: 'state',
    phrases: [
      'state', 'province', 'region', 'state province', 'state region', 'county', 'prefecture', 'territory', 'state county', 'bundesland', 'kanton', 'etat',
      'provincia', 'comunidad autonoma', 'regiao', 'distrito', 'uf', 'regione', 'provincie', 'staat', 'regio', 'state code',
    ],
  },
  { target: 'state', weight: 0.7, phrases: ['estado', 'stato'] },
  {
    target: 'postalCode',
    phrases: [
      'postal code', 'zip', 'zip postal code', 'postal', 'zip code postal code', 'post code', 'postleitzahl', 'code postal', 'codigo postal', 'codice postale',
      'cap', 'postcode', 'postnummer', 'postal zip', 'zip postal',
    ],
  },
  { target: 'country', phrases: ['country', 'country region', 'nation', 'country code', 'country name', 'land', 'pays', 'pais', 'paese', 'nazione', 'country iso', 'staat land'] },
  // --- people ---
  {
    target: 'firstName', entities: PERSON,
    phrases: ['first name', 'given name', 'forename', 'first', 'christian name', 'prename', 'vorname', 'prenom', 'nombre pila', 'primeiro nome', 'nome proprio', 'voornaam', 'roepnaam', 'first given name'],
  },
  { target: 'firstName', entities: PERSON, weight: 0.8, phrases: ['nombre', 'nome'] },
  {
    target: 'lastName', entities: PERSON,
    phrases: ['last name', 'surname', 'family name', 'last', 'second name', 'nachname', 'familienname', 'nom famille', 'apellido', 'apellidos', 'primer apellido', 'sobrenome', 'ultimo nome', 'cognome', 'achternaam', 'familienaam', 'nom de famille'],
  },
  { target: 'lastName', entities: PERSON, weight: 0.8, phrases: ['nom', 'apelido'] },
  {
    target: 'fullName', entities: PERSON,
    phrases: ['name', 'full name', 'contact name', 'person name', 'display name', 'complete name', 'lead name', 'contact', 'person', 'vollstandiger name', 'kontaktname', 'nom complet', 'nom prenom', 'prenom nom', 'nombre completo', 'nombre apellidos', 'nome completo', 'nome cognome', 'volledige naam', 'naam', 'contactpersoon', 'ansprechpartner', 'interlocuteur'],
  },
  { target: 'fullName', entities: PERSON, weight: 0.7, phrases: ['nombre', 'nome'] },
  {
    target: 'email',
    phrases: [
      'email', 'email address', 'primary email', 'work email', 'business email', 'email 1', 'email 1 value', 'email work', 'contact email', 'emailadresse', 'email adresse',
      'mail adresse', 'courriel', 'adresse email', 'adresse electronique', 'mel', 'correo', 'correo electronico', 'direccion correo', 'correio eletronico', 'endereco email',
      'posta elettronica', 'indirizzo email', 'emailadres', 'email adres',
    ],
  },
  {
    target: 'title', entities: PERSON,
    phrases: [
      'title', 'job title', 'position', 'role', 'designation', 'job', 'job role', 'occupation', 'function', 'job function', 'job position', 'titel', 'berufsbezeichnung',
      'funktion', 'stellung', 'jobtitel', 'rolle', 'poste', 'titre', 'fonction', 'intitule poste', 'cargo', 'puesto', 'titulo', 'puesto trabajo', 'funcao', 'ruolo',
      'posizione', 'qualifica', 'titolo', 'mansione', 'functie', 'functietitel', 'rol',
    ],
  },
  { target: 'department', phrases: ['department', 'division', 'business unit', 'team', 'abteilung', 'bereich', 'service', 'departement', 'departamento', 'area', 'reparto', 'dipartimento', 'ufficio', 'afdeling'] },
  {
    target: 'lifecycleStage',
    phrases: ['lifecycle stage', 'lifecycle', 'life cycle stage', 'customer stage', 'contact stage', 'funnel stage', 'lebenszyklusphase', 'etape cycle vie', 'etapa ciclo vida', 'estagio ciclo vida', 'fase ciclo vita', 'levenscyclusfase', 'lifecycle phase'],
  },
  { target: 'lifecycleStage', weight: 0.65, phrases: ['stage', 'phase'] },
  {
    target: 'leadSource',
    phrases: [
      'lead source', 'source', 'original source', 'origin', 'referral source', 'how did you hear about us', 'acquisition channel', 'lead origin', 'source type',
      'original traffic source', 'quelle', 'lead quelle', 'herkunft', 'origine', 'source lead', 'provenance', 'fuente', 'origen', 'fuente lead', 'procedencia',
      'origem', 'fonte', 'provenienza', 'bron', 'herkomst', 'leadbron',
    ],
  },
  { target: 'leadSource', weight: 0.65, phrases: ['channel', 'campaign', 'kanal', 'canal', 'canale', 'kanaal'] },
  {
    target: 'birthdate',
    phrases: ['birth date', 'date birth', 'born', 'geburtsdatum', 'geburtstag', 'date naissance', 'anniversaire', 'fecha nacimiento', 'cumpleanos', 'data nascimento', 'aniversario', 'data nascita', 'compleanno', 'geboortedatum', 'verjaardag'],
  },
  {
    target: 'accountName', entities: ORG_LINK,
    phrases: [
      'company', 'company name', 'account', 'account name', 'organization', 'organization name', 'employer', 'associated company', 'customer', 'client', 'business',
      'firm', 'customer name', 'client name', 'firma', 'firmenname', 'unternehmen', 'arbeitgeber', 'kunde', 'entreprise', 'societe', 'nom entreprise', 'raison sociale',
      'employeur', 'empresa', 'compania', 'nombre empresa', 'razon social', 'cliente', 'nome empresa', 'companhia', 'azienda', 'societa', 'ragione sociale',
      'bedrijf', 'bedrijfsnaam', 'organisatie', 'werkgever', 'klant', 'associated company name', 'primary company',
    ],
  },
  {
    target: 'accountExternalId',
    phrases: ['account id', 'company id', 'organization id', 'associated company id', 'customer id', 'client id', 'company record id', 'account record id', 'parent account id', 'primary company id', 'firmen id', 'id entreprise', 'id empresa', 'id azienda', 'bedrijf id', 'account number id'],
  },
  { target: 'contactExternalId', phrases: ['contact id', 'person id', 'contact person id', 'primary contact id', 'associated contact id', 'who id', 'contact record id', 'kontakt id', 'id contact', 'id contacto', 'id contatto'] },
  { target: 'dealExternalId', phrases: ['deal id', 'opportunity id', 'associated deal id', 'related deal id', 'deal record id', 'opportunity record id', 'id opportunite', 'id oportunidad', 'id trattativa'] },
  // --- leads ---
  {
    target: 'company', entities: ['leads'],
    phrases: [
      'company', 'company name', 'organization', 'organization name', 'business', 'employer', 'account name', 'account', 'firm', 'business name', 'firma', 'firmenname',
      'unternehmen', 'entreprise', 'societe', 'raison sociale', 'empresa', 'nombre empresa', 'compania', 'razon social', 'nome empresa', 'azienda', 'ragione sociale',
      'societa', 'bedrijf', 'bedrijfsnaam', 'organisatie', 'associated company',
    ],
  },
  { target: 'status', entities: ['leads'], phrases: ['status', 'lead status', 'qualification status', 'lead state', 'leadstatus', 'statut', 'statut lead', 'estatus', 'situacao', 'stato lead'] },
  { target: 'status', entities: ['leads'], weight: 0.7, phrases: ['estado', 'stato', 'stage', 'lead stage'] },
  { target: 'rating', entities: ['leads'], phrases: ['rating', 'lead rating', 'temperature', 'grade', 'lead grade', 'bewertung', 'einstufung', 'evaluation', 'calificacion', 'valoracion', 'classificacao', 'avaliacao', 'valutazione', 'beoordeling'] },
  // --- deals ---
  {
    target: 'name', entities: ['deals'],
    phrases: [
      'name', 'deal name', 'opportunity name', 'title', 'deal title', 'deal', 'opportunity', 'subject', 'bezeichnung', 'titel', 'verkaufschance', 'nom', 'nom affaire',
      'intitule', 'titre', 'nombre', 'nombre negocio', 'nombre oportunidad', 'titulo', 'nome', 'nome negocio', 'nome trattativa', 'titolo', 'naam', 'affaire', 'negocio', 'trattativa', 'opportunite', 'oportunidad',
    ],
  },
  {
    target: 'amount',
    phrases: [
      'amount', 'value', 'deal value', 'deal amount', 'total', 'price', 'deal size', 'opportunity amount', 'sum', 'contract value', 'total amount', 'sales amount',
      'worth', 'betrag', 'wert', 'summe', 'auftragswert', 'volumen', 'montant', 'valeur', 'prix', 'importe', 'monto', 'valor', 'montante', 'quantia', 'importo',
      'valore', 'ammontare', 'bedrag', 'waarde', 'opportunity value', 'amount value',
    ],
  },
  { target: 'amount', weight: 0.7, phrases: ['revenue', 'cantidad', 'expected revenue'] },
  { target: 'currency', phrases: ['currency', 'currency code', 'currency iso code', 'deal currency', 'wahrung', 'devise', 'monnaie', 'moneda', 'divisa', 'moeda', 'valuta', 'munteenheid', 'currency value'] },
  {
    target: 'stage',
    phrases: [
      'stage', 'deal stage', 'sales stage', 'pipeline stage', 'phase', 'opportunity stage', 'stage name', 'step', 'stufe', 'verkaufsphase', 'etape', 'etape vente',
      'etapa', 'fase', 'etapa venta', 'estagio', 'stadio', 'fase vendita', 'stadium', 'verkoopfase', 'deal phase',
    ],
  },
  { target: 'pipeline', phrases: ['pipeline', 'sales pipeline', 'funnel', 'sales process', 'vertriebspipeline', 'pipeline vente', 'embudo', 'embudo ventas', 'funil', 'funil vendas', 'imbuto', 'pijplijn', 'verkooppijplijn', 'pipeline name'] },
  {
    target: 'probability',
    phrases: ['probability', 'win probability', 'close probability', 'likelihood', 'probability percent', 'chance', 'deal probability', 'wahrscheinlichkeit', 'abschlusswahrscheinlichkeit', 'probabilite', 'probabilidad', 'probabilidade', 'probabilita', 'kans', 'waarschijnlijkheid', 'winning chance'],
  },
  {
    target: 'closeDate',
    phrases: [
      'close date', 'closing date', 'expected close date', 'expected close', 'close', 'closed date', 'estimated close date', 'target close date', 'decision date',
      'abschlussdatum', 'voraussichtlicher abschluss', 'erwartetes abschlussdatum', 'date cloture', 'date cloture prevue', 'date signature', 'fecha cierre',
      'fecha cierre prevista', 'data fechamento', 'data encerramento', 'data prevista fechamento', 'data chiusura', 'data chiusura prevista', 'sluitingsdatum',
      'verwachte sluitingsdatum', 'afsluitdatum', 'close date expected',
    ],
  },
  { target: 'status', entities: ['deals'], phrases: ['status', 'deal status', 'won lost', 'outcome', 'result', 'opportunity status', 'ergebnis', 'statut', 'estatus', 'situacao', 'esito', 'resultado'] },
  { target: 'status', entities: ['deals'], weight: 0.7, phrases: ['estado', 'stato'] },
  { target: 'type', entities: ['deals'], phrases: ['type', 'deal type', 'opportunity type', 'business type', 'typ', 'art', 'type affaire', 'tipo', 'tipo negocio', 'tipo oportunidad', 'soort'] },
  // --- activities ---
  {
    target: 'type', entities: ['activities'],
    phrases: ['type', 'activity type', 'kind', 'category', 'task type', 'engagement type', 'event type', 'module', 'object type', 'typ', 'aktivitatstyp', 'art', 'type activite', 'tipo', 'tipo actividad', 'tipo attivita', 'soort', 'soort activiteit', 'task subtype', 'subtype'],
  },
  {
    target: 'subject', entities: ['activities'],
    phrases: ['subject', 'title', 'name', 'topic', 'headline', 'task name', 'activity name', 'call title', 'meeting name', 'meeting title', 'note title', 'betreff', 'titel', 'thema', 'sujet', 'objet', 'titre', 'asunto', 'titulo', 'tema', 'assunto', 'oggetto', 'titolo', 'argomento', 'onderwerp'],
  },
  {
    target: 'body', entities: ['activities'],
    phrases: [
      'body', 'notes', 'note', 'description', 'comments', 'comment', 'details', 'content', 'text', 'message', 'note body', 'call notes', 'minutes', 'note content',
      'notiz', 'notizen', 'inhalt', 'beschreibung', 'kommentar', 'contenu', 'notes', 'commentaire', 'nota', 'notas', 'contenido', 'descripcion', 'cuerpo', 'conteudo',
      'descricao', 'contenuto', 'descrizione', 'testo', 'notitie', 'notities', 'inhoud', 'beschrijving',
    ],
  },
  {
    target: 'dueAt', entities: ['activities'],
    phrases: [
      'due date', 'due', 'due at', 'deadline', 'date', 'scheduled', 'scheduled at', 'start', 'start time', 'start date', 'activity date', 'when', 'timestamp',
      'date time', 'scheduled date', 'event date', 'meeting date', 'falligkeitsdatum', 'fallig am', 'fallig', 'termin', 'datum', 'frist', 'date echeance', 'echeance',
      'date limite', 'fecha vencimiento', 'vencimiento', 'fecha', 'fecha limite', 'data vencimento', 'prazo', 'data', 'scadenza', 'data scadenza', 'vervaldatum',
    ],
  },
  {
    target: 'completedAt', entities: ['activities'],
    phrases: ['completed', 'completed at', 'completed date', 'completion date', 'done date', 'done at', 'date completed', 'finished', 'finished at', 'marked as done time', 'completed date time', 'erledigt am', 'abgeschlossen am', 'termine le', 'date achevement', 'completado el', 'fecha finalizacion', 'concluido em', 'data conclusao', 'completato il', 'data completamento', 'voltooid op', 'afgerond op'],
  },
  { target: 'status', entities: ['activities'], phrases: ['status', 'task status', 'state', 'activity status', 'done', 'statut', 'estado', 'situacao', 'stato', 'erledigt', 'completed flag'] },
  { target: 'priority', phrases: ['priority', 'importance', 'urgency', 'prio', 'prioritat', 'wichtigkeit', 'priorite', 'prioridad', 'prioridade', 'priorita', 'prioriteit', 'urgentie'] },
];

/**
 * Headers that name something the canonical model has no field for. An exact match suggests "no target"
 * so a look-alike (`Home Phone`, `Email 2`, `Shipping City`) is not mapped on a partial match.
 */
export const NO_TARGET_PHRASES: readonly string[] = [
  'fax', 'home phone', 'other phone', 'assistant phone', 'assistant', 'assistant name', 'secondary email', 'email 2', 'other email', 'personal email', 'additional email',
  'alternate email', 'email opt out', 'do not call', 'unsubscribed', 'bounced', 'email bounced', 'salutation', 'middle name', 'nickname', 'suffix', 'prefix', 'gender', 'sex', 'age',
  'twitter', 'facebook', 'instagram', 'skype', 'whatsapp', 'tags', 'tag', 'labels', 'label', 'latitude', 'longitude', 'timezone', 'time zone', 'language', 'score',
  'lead score', 'last activity', 'last activity date', 'last contacted', 'number visits', 'number page views', 'favourite colour', 'favorite color', 'shoe size',
  'shipping street', 'shipping city', 'shipping state', 'shipping postal code', 'shipping country', 'shipping address', 'other street', 'other city',
  'delivery address', 'vat number', 'tax id', 'ust id', 'siret', 'iban', 'bic', 'password', 'ip address', 'avatar', 'photo', 'picture', 'image',
  'anrede', 'civilite', 'tratamiento', 'saudacao', 'titolo di cortesia', 'aanhef', 'geschlecht', 'sexe', 'sexo', 'sesso', 'geslacht', 'created by', 'modified by', 'last modified by', 'updated by', 'owner since', 'owner assigned date',
  'next step', 'lost reason', 'won reason', 'reason lost', 'forecast category', 'weighted amount', 'expected amount', 'quantity', 'discount', 'fiscal year', 'fiscal quarter',
  'duration', 'location', 'end time', 'end date', 'reminder', 'attendees', 'participants', 'call duration', 'call direction', 'recording url',
  'number employees range', 'parent account', 'parent company', 'ticker symbol', 'sic code', 'naics code', 'year founded', 'founded', 'ownership', 'account number', 'account site',
];

/**
 * Words that make a header a variant of the thing it names (a second e-mail, a shipping address): a match
 * that needs to ignore one of them is weaker. Neutral words (primary, work, billing, …) cost nothing.
 */
export const WEAKENING_WORDS: ReadonlySet<string> = new Set([
  'other', 'home', 'secondary', 'alternate', 'alternative', 'additional', 'second', 'third', '2', '3', '4', 'shipping', 'delivery', 'private', 'personal', 'previous', 'old',
  'former', 'assistant', 'fax', 'opt', 'out', 'unsubscribed', 'bounce', 'bounced', 'ip', 'last', 'next', 'first', 'latest', 'original', 'count', 'number', 'total', 'average', 'min', 'max',
  'lost', 'won', 'reason', 'parent', 'child', 'previous', 'forecast', 'weighted', 'expected', 'target', 'estimated', 'recent', 'domain', 'type', 'status', 'owner', 'id', 'date', 'time',
  'manager', 'privat', 'autre', 'otro', 'outro', 'altro', 'ander', 'zweite', 'segundo', 'secondo', 'tweede',
]);

export const NEUTRAL_WORDS: ReadonlySet<string> = new Set([
  'primary', 'main', 'business', 'work', 'office', 'billing', 'mailing', 'default', 'official', '1', 'hq', 'headquarters', 'current', 'value', 'address', 'line', 'registered',
  'full', 'hubspot', 'crm', 'record', 'standard', 'field', 'info', 'information', 'details', 'data', 'text', 'principal', 'haupt', 'geschaftlich',
  'professionnel', 'profesional', 'profissional', 'aziendale', 'zakelijk',
]);

/** One-word phrases too generic to carry a header that has other meaningful words ("Account Name" is not just "name"). */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(['name', 'id', 'date', 'type', 'status', 'number', 'code', 'value', 'title', 'owner', 'source', 'stage', 'time', 'key', 'phone', 'email', 'address', 'state']);

/** Words that name the entity itself: stripped so "Contact Owner" reads as "owner" in contacts. */
export const SELF_NOUNS: Readonly<Record<EntityType, readonly string[]>> = {
  accounts: ['account', 'company', 'organization', 'org', 'firma', 'unternehmen', 'societe', 'entreprise', 'empresa', 'azienda', 'bedrijf', 'cuenta', 'compte', 'conto', 'conta', 'organisatie', 'business', 'customer', 'client', 'kunde', 'cliente', 'klant'],
  contacts: ['contact', 'person', 'people', 'kontakt', 'persona', 'contatto', 'contato', 'contacto', 'persoon', 'personne', 'pessoa'],
  leads: ['lead', 'prospect', 'interessent', 'prospecto', 'prospetto', 'leads'],
  deals: ['deal', 'opportunity', 'oportunidad', 'opportunite', 'opportunita', 'oportunidade', 'verkaufschance', 'affaire', 'negocio', 'trattativa', 'kans', 'geschaft'],
  activities: ['activity', 'task', 'event', 'call', 'meeting', 'note', 'engagement', 'aufgabe', 'tache', 'tarea', 'attivita', 'atividade', 'actividad', 'activite', 'aktivitat', 'taak', 'activiteit', 'termin', 'anruf', 'appel', 'llamada', 'chiamata', 'email'],
};
